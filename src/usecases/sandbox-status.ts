/**
 * `nemoclaw <name> status [--json]`: every probe runs at once (product.md §13: the slowest probe
 * plus a little), each becomes a part with an explicit state, and the exit code is non-zero unless
 * health was verified (core/ops/status.ts).
 */
import type { Context } from '../context.ts';
import { findProvider } from '../core/providers.ts';
import {
  STATUS_SCHEMA_VERSION,
  containerPart,
  gatewayPart,
  gpuPart,
  inferencePart,
  interpretJournal,
  phasePart,
  statusExitCode,
  statusMark,
  unreachable,
  type Part,
} from '../core/ops/status.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import { isRemoteEntry } from '../core/ops/gateway-of.ts';
import { requireEntry, type OpsDeps } from './ops-deps.ts';

const GPU_PROBE_TIMEOUT_SECS = 20;

const settle = async <T>(f: () => Promise<T>): Promise<{ ok: T } | { error: unknown }> => {
  try {
    return { ok: await f() };
  } catch (error) {
    return { error };
  }
};

export interface SandboxStatusReport {
  schemaVersion: number;
  sandbox: string;
  agent: string;
  isDefault: boolean;
  healthy: boolean;
  parts: Record<string, Part>;
}

export async function sandboxStatusReport(
  ctx: Context,
  deps: OpsDeps,
  name: string,
): Promise<SandboxStatusReport> {
  const reg = await ctx.registry().read();
  const entry = await requireEntry(ctx, name);
  const client = await deps.openshell(entry.gatewayName);
  const remote = isRemoteEntry(entry);

  const { policyDrift, policyPart } = await import('./policy-drift.ts');
  const [gw, sb, container, gpu, route, blueprint, snapshot, journal, drift] = await Promise.all([
    settle(() => client.status()),
    settle(() => client.sandboxGet(name)),
    remote ? Promise.resolve(undefined) : settle(() => probeContainer(deps, name)),
    entry.gpu.enabled
      ? settle(() =>
          client.sandboxExec(name, ['nvidia-smi', '-L'], { timeoutSecs: GPU_PROBE_TIMEOUT_SECS }),
        )
      : Promise.resolve(undefined),
    settle(() => client.inferenceGet()),
    blueprintPart(ctx, entry),
    snapshotPart(ctx, name),
    rebuildPart(ctx, name),
    settle(() => policyDrift(ctx, client, entry)),
  ]);

  const parts: Record<string, Part> = {};
  parts.gateway =
    'ok' in gw
      ? gatewayPart(entry.gatewayName, gw.ok)
      : unreachable('the gateway', gw.error, `Try: nemoclaw ${name} recover`);
  const gatewayUp = parts.gateway.state === 'ok';
  // With the gateway down, what OpenShell says about the sandbox is not observable.
  const phase = 'ok' in sb ? sb.ok?.phase : undefined;
  parts.sandbox = !gatewayUp
    ? {
        state: 'unreachable',
        summary: 'phase unknown: the gateway does not answer',
        phase: null,
        hint: `Try: nemoclaw ${name} recover`,
      }
    : 'ok' in sb
      ? phasePart(phase, name)
      : unreachable('the sandbox phase', sb.error);
  parts.container = remote
    ? { state: 'warn', summary: 'not observable here: the sandbox runs on a remote gateway' }
    : container && 'ok' in container
      ? containerPart(container.ok.state, phase, name, ctx.now(), container.ok.stats)
      : unreachable(
          'the sandbox container',
          container?.error,
          'Check the Docker Engine (nemoclaw doctor).',
        );
  parts.gpu =
    gpu === undefined ? gpuPart(false, undefined) : gpuPart(true, 'ok' in gpu ? gpu.ok : gpu);
  const expected = {
    provider: findProvider(entry.provider)?.openshellName ?? entry.provider,
    model: entry.model,
  };
  parts.inference = !gatewayUp
    ? {
        state: 'unreachable',
        summary: 'route unknown: the gateway does not answer',
        hint: `Try: nemoclaw ${name} recover`,
      }
    : 'ok' in route
      ? inferencePart(route.ok.route, expected)
      : unreachable('the inference route', route.error);
  parts.policy = policyPart(entry, gatewayUp ? drift : undefined);
  parts.blueprint = blueprint;
  parts.snapshot = snapshot;
  parts.rebuild = journal;

  const all = Object.values(parts);
  return {
    schemaVersion: STATUS_SCHEMA_VERSION,
    sandbox: name,
    agent: entry.agent,
    isDefault: reg.defaultSandbox === name,
    healthy: statusExitCode(all) === 0,
    parts,
  };
}

async function probeContainer(deps: OpsDeps, name: string) {
  const { inspectSandboxContainer, containerStats } =
    await import('../adapters/docker/sandboxes.ts');
  const engine = await deps.engine();
  const state = await inspectSandboxContainer(engine, name);
  const stats = state?.running
    ? await containerStats(engine, state.id).catch(() => undefined)
    : undefined;
  return { state, stats };
}

async function blueprintPart(ctx: Context, entry: SandboxEntry): Promise<Part> {
  try {
    const { resolveBlueprint, verifyBlueprint } = await import('../adapters/blueprint/resolve.ts');
    const r = await resolveBlueprint({
      packageRoot: ctx.packageRoot,
      home: ctx.paths.home,
      spec: entry.blueprintVersion,
    });
    const v = await verifyBlueprint(r);
    if (!v.ok) {
      return {
        state: 'fail',
        summary: `${entry.blueprintVersion} no longer verifies (expected ${v.expected}, actual ${v.actual})`,
        version: entry.blueprintVersion,
        verified: false,
        hint: 'Reinstall nemoclaw, then run: nemoclaw blueprint verify',
      };
    }
    const same = v.actual === entry.blueprintDigest;
    return {
      state: same ? 'ok' : 'warn',
      summary: same
        ? `${entry.blueprintVersion} verified`
        : `${entry.blueprintVersion} verifies, but its digest differs from the one this sandbox was built with`,
      version: entry.blueprintVersion,
      verified: true,
      digest: v.actual,
    };
  } catch (e) {
    return {
      state: 'warn',
      summary: `${entry.blueprintVersion} cannot be verified here: ${(e as Error).message}`,
      version: entry.blueprintVersion,
      verified: false,
    };
  }
}

async function snapshotPart(ctx: Context, name: string): Promise<Part> {
  const { readSnapshotManifests } = await import('../adapters/state/sandbox-records.ts');
  const all = await readSnapshotManifests(ctx.paths.snapshotsDir, name);
  const last = all.at(-1);
  if (!last) return { state: 'ok', summary: 'none yet', last: null, count: 0 };
  return {
    state: 'ok',
    summary: `last ${last.createdAt}${last.name ? ` (${last.name})` : ''}; ${all.length} in total`,
    last,
    count: all.length,
  };
}

async function rebuildPart(ctx: Context, name: string): Promise<Part> {
  const { readJournal } = await import('../adapters/state/sandbox-records.ts');
  const j = await readJournal(ctx.paths.journalDir, name);
  if (!j) return { state: 'ok', summary: 'none in progress', interrupted: false };
  if (j.error) {
    return {
      state: 'warn',
      summary: `the rebuild journal ${j.path} cannot be read (${j.error})`,
      interrupted: null,
    };
  }
  const r = interpretJournal(j.value);
  if (!r.interrupted) return { state: 'ok', summary: 'last rebuild finished', interrupted: false };
  return {
    state: 'fail',
    summary: `interrupted rebuild${r.step ? ` at step ${r.step}` : ''}; finish with: nemoclaw ${name} rebuild --resume`,
    interrupted: true,
    step: r.step ?? null,
    hint: `nemoclaw ${name} rebuild --resume`,
  };
}

export async function sandboxStatus(
  ctx: Context,
  deps: OpsDeps,
  o: { sandbox: string; json?: boolean },
): Promise<number> {
  const report = await sandboxStatusReport(ctx, deps, o.sandbox);
  const parts = Object.values(report.parts);
  if (o.json) {
    ctx.ui.json(report);
    return statusExitCode(parts);
  }
  const agent = report.agent === 'hermes' ? 'Hermes' : 'OpenClaw';
  ctx.ui.out(`Sandbox ${report.sandbox} (${agent}${report.isDefault ? ', default' : ''})`);
  for (const [k, p] of Object.entries(report.parts)) {
    ctx.ui.out(`  ${statusMark(p.state)} ${k.padEnd(10)} ${p.summary}`);
  }
  const hints = [...new Set(parts.filter((p) => p.state !== 'ok' && p.hint).map((p) => p.hint!))];
  if (hints.length) {
    ctx.ui.out('');
    for (const h of hints) ctx.ui.out(`  → ${h}`);
  }
  const code = statusExitCode(parts);
  if (code !== 0) ctx.ui.error(`Sandbox ${report.sandbox} is not verified healthy.`);
  return code;
}
