/**
 * `nemoclaw <name> status [--json]`: every probe runs at once (product.md §13: the slowest probe
 * plus a little), each becomes a part with an explicit state, and the exit code is non-zero unless
 * health was verified (core/ops/status.ts).
 */
import type { Context } from '../context.ts';
import type { AuditFinding } from '../core/agent-audit.ts';
import { findProvider } from '../core/providers.ts';
import {
  entrypointPart,
  hardeningPart,
  parsePrivilegeProbe,
  privilegeProbeArgv,
} from '../core/ops/hardening.ts';
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
import {
  describeLastInference,
  lastInference,
  type LastInference,
} from '../core/ops/last-inference.ts';
import { isRemoteEntry } from '../core/ops/gateway-of.ts';
import { dashboardPart, stoppedPart } from '../core/ops/status-parts.ts';
import type { OpsWorld } from '../world.ts';
import { requireEntry } from './registry-entry.ts';
import { agentAuditPart, configDriftPart, enforcementPart } from './posture.ts';
import { errorMessage } from '../core/errors.ts';

const GPU_PROBE_TIMEOUT_SECS = 20;
const LOG_LINES = 500;
/** One request through inference.local with whichever client the image has; prints the HTTP code. */
const ROUTE_PROBE =
  'u=https://inference.local/v1/models; if command -v curl >/dev/null; then curl -sS -o /dev/null -w "%{http_code}" --max-time 20 "$u"; else wget -q -T 20 -O /dev/null "$u" && echo 200; fi';

function withLastInference(part: Part, last: LastInference | undefined): Part {
  return {
    ...part,
    summary: `${part.summary}; last request: ${describeLastInference(last)}`,
    lastInference: last ?? null,
  };
}

function probePart(
  r: { ok: { exitCode: number; stdout: string; stderr: string } } | { error: unknown },
): Part {
  if ('error' in r) return unreachable('the route probe', r.error);
  const code = r.ok.stdout.trim().slice(-3);
  if (r.ok.exitCode === 0 && /^2\d\d$/.test(code))
    return {
      state: 'ok',
      summary: `inference.local answered HTTP ${code} from inside the sandbox`,
    };
  return {
    state: 'fail',
    summary: `inference.local did not answer from inside the sandbox (${code || `exit ${r.ok.exitCode}`}${r.ok.stderr.trim() ? `: ${r.ok.stderr.trim().slice(0, 160)}` : ''})`,
    hint: 'Check the route with: nemoclaw inference get, and the provider with: nemoclaw credentials list',
  };
}

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
  deps: OpsWorld,
  name: string,
  o: { audit?: boolean; probe?: boolean } = {},
): Promise<SandboxStatusReport> {
  const reg = await ctx.registry().read();
  const entry = await requireEntry(ctx, name);
  const client = await deps.openshell(entry.gatewayName, entry.workspace);
  const remote = isRemoteEntry(entry);

  const { policyDrift, policyPart } = await import('./policy-drift.ts');
  const enforcement = enforcementPart(deps, remote);
  const audit = o.audit ? agentAuditPart(client, entry) : undefined;
  const configDrift = configDriftPart(ctx, deps, client, entry);
  const sbGet = settle(() => client.sandboxGet(name));
  const [
    gw,
    sb,
    container,
    gpu,
    route,
    blueprint,
    snapshot,
    journal,
    privileges,
    recent,
    probe,
    fwd,
    drift,
  ] = await Promise.all([
    settle(() => client.status()),
    sbGet,
    // The id OpenShell reports picks this gateway's container out of same-named ones.
    remote
      ? Promise.resolve(undefined)
      : sbGet.then((r) => settle(() => probeContainer(deps, name, r))),
    entry.gpu.enabled
      ? settle(() =>
          client.sandboxExec(name, ['nvidia-smi', '-L'], { timeoutSecs: GPU_PROBE_TIMEOUT_SECS }),
        )
      : Promise.resolve(undefined),
    settle(() => client.inferenceGet()),
    blueprintPart(ctx, deps, entry),
    snapshotPart(ctx, deps, name),
    rebuildPart(ctx, deps, name),
    settle(() =>
      client.sandboxExec(name, privilegeProbeArgv(entry.agent), {
        timeoutSecs: GPU_PROBE_TIMEOUT_SECS,
      }),
    ),
    // The supervisor logs every routed call (core/ops/last-inference.ts); reading it sends nothing.
    settle(() => client.logs(name, { tail: LOG_LINES, source: 'sandbox' })),
    o.probe
      ? settle(() => client.sandboxExec(name, ['sh', '-c', ROUTE_PROBE], { timeoutSecs: 30 }))
      : Promise.resolve(undefined),
    settle(() => client.forwardList()),
    settle(() => policyDrift(deps, client, entry)),
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
  if (phase === 'Stopped' && gatewayUp) parts.sandbox = stoppedPart(entry);
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
      ? withLastInference(
          inferencePart(route.ok.route, expected),
          'ok' in recent ? lastInference(recent.ok) : undefined,
        )
      : unreachable('the inference route', route.error);
  // Whose route it is: the sandbox's own workspace, or the gateway's shared default one.
  const ws = entry.workspace ?? 'default';
  parts.inference = {
    ...parts.inference,
    summary: `${parts.inference.summary} [${entry.workspace ? `own route, workspace ${ws}` : 'shared route, default workspace'}]`,
    workspace: ws,
  };
  if (probe) parts.probe = probePart(probe);
  parts.policy = policyPart(entry, gatewayUp ? drift : undefined);
  const agentProc =
    'ok' in privileges && privileges.ok.exitCode === 0
      ? parsePrivilegeProbe(privileges.ok.stdout)
      : undefined;
  parts.hardening = agentProc
    ? hardeningPart(agentProc)
    : hardeningPart(
        undefined,
        'ok' in privileges ? 'no agent process found' : (privileges.error as Error)?.message,
      );
  parts.entrypoint = entrypointPart(agentProc, name);
  parts.config = await configDrift;
  parts.dashboard = dashboardPart(
    name,
    entry.dashboardPort,
    ctx.env.NEMOCLAW_DASHBOARD_BIND,
    'ok' in fwd ? fwd.ok : undefined,
  );
  parts.blueprint = blueprint;
  parts.snapshot = snapshot;
  parts.rebuild = journal;
  parts.enforcement = await enforcement;
  if (audit) parts.audit = await audit;

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

async function probeContainer(deps: OpsWorld, name: string, sb: { ok?: { id: string } } | object) {
  const { inspectSandboxContainer, containerStats } = await deps.docker();
  const engine = await deps.engine();
  const state = await inspectSandboxContainer(engine, name, 'ok' in sb ? sb.ok?.id : undefined);
  const stats = state?.running
    ? await containerStats(engine, state.id).catch(() => undefined)
    : undefined;
  return { state, stats };
}

async function blueprintPart(
  ctx: Context,
  world: Pick<OpsWorld, 'blueprints'>,
  entry: SandboxEntry,
): Promise<Part> {
  try {
    const { resolveBlueprint, verifyBlueprint } = await world.blueprints();
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
    // Whether a newer blueprint is packaged: unknown (with the reason) when they cannot be listed.
    let newerUnknown: string | undefined;
    const available = await newerBlueprint(ctx, world, entry).catch((e: unknown) => {
      newerUnknown = errorMessage(e);
      ctx.log.warn({ unobserved: 'blueprints.packaged', reason: newerUnknown }, 'could not list');
      return undefined;
    });
    return {
      state: same && !available && !newerUnknown ? 'ok' : 'warn',
      summary:
        (same
          ? `${entry.blueprintVersion} verified`
          : `${entry.blueprintVersion} verifies, but its digest differs from the one this sandbox was built with`) +
        (available ? `; blueprint ${available} available` : '') +
        (newerUnknown
          ? `; whether a newer blueprint is available is unknown (the packaged blueprints could not be listed: ${newerUnknown})`
          : ''),
      version: entry.blueprintVersion,
      verified: true,
      digest: v.actual,
      available: available ?? null,
      hint: available
        ? `Upgrade with: nemoclaw upgrade-sandboxes (or nemoclaw ${entry.name} rebuild --blueprint ${available})`
        : undefined,
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

/** The newest packaged blueprint when it is newer than the sandbox's (a packaged one). */
async function newerBlueprint(
  ctx: Context,
  world: Pick<OpsWorld, 'blueprints'>,
  entry: SandboxEntry,
): Promise<string | undefined> {
  if (entry.blueprintSource) return undefined; // made from a folder or URL: the user upgrades it
  const { listPackagedVersions } = await world.blueprints();
  const { compareVersions, parseVersion } = await import('../core/version.ts');
  const newest = (await listPackagedVersions(ctx.packageRoot)).at(-1);
  const [a, b] = [parseVersion(entry.blueprintVersion), newest && parseVersion(newest)];
  return a && b && compareVersions(a, b) < 0 ? newest : undefined;
}

async function snapshotPart(
  ctx: Context,
  world: Pick<OpsWorld, 'files'>,
  name: string,
): Promise<Part> {
  const { readSnapshotManifests } = await world.files();
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

async function rebuildPart(
  ctx: Context,
  world: Pick<OpsWorld, 'files'>,
  name: string,
): Promise<Part> {
  const { readJournal } = await world.files();
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
  deps: OpsWorld,
  o: { sandbox: string; json?: boolean; audit?: boolean; probe?: boolean },
): Promise<number> {
  const report = await sandboxStatusReport(ctx, deps, o.sandbox, {
    audit: o.audit,
    probe: o.probe,
  });
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
  const findings = (report.parts.audit?.findings ?? []) as AuditFinding[];
  for (const f of findings) {
    ctx.ui.out(`      ${f.severity.padEnd(8)} ${f.title} (${f.checkId})`);
    ctx.ui.out(
      `               ${f.changeFrom === 'host' ? 'from the host: ' : 'in the agent: '}${f.how}`,
    );
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
