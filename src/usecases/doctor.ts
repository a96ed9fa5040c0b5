/**
 * `nemoclaw doctor [--json]`: every preflight check (usecases/preflight.ts) plus the state checks of
 * core/doctor.ts, observed in parallel. Exit 1 when any check fails; warnings do not fail it.
 */
import { join } from 'node:path';
import type { DockerEngine } from '../adapters/docker/engine.ts';
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Context } from '../context.ts';
import type { World } from '../world.ts';
import { isRemoteEntry } from '../core/ops/gateway-of.ts';
import { formatChecks, stateChecks, summarise, type DoctorObservation } from '../core/doctor.ts';
import { errorMessage } from '../core/errors.ts';
import { DEFAULT_GATEWAY_CONTAINER } from '../core/gateway-plan.ts';
import { checkCrashed, type CheckResult } from '../core/preflight.ts';
import type { Unobserved } from '../core/unobserved.ts';
import { orRecord } from './unobserved.ts';
import type { PreflightWorld } from './preflight.ts';

export type DoctorDeps = Pick<
  World,
  | 'openshell'
  | 'sandboxClient'
  | 'answeringEngine'
  | 'presets'
  | 'blueprints'
  | 'files'
  | 'docker'
  | 'snapshots'
> &
  PreflightWorld;

const CONNECTED = new Set(['connected', 'connected_http']);

async function readJson(
  world: Pick<World, 'files'>,
  path: string,
): Promise<Record<string, unknown> | undefined> {
  const { readTextTail } = await world.files();
  const t = await readTextTail(path, 1 << 20);
  if (t === undefined) return undefined;
  try {
    return JSON.parse(t) as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function observeState(
  ctx: Context,
  world: Pick<World, 'presets' | 'blueprints' | 'files' | 'docker' | 'snapshots'>,
  os: OpenshellClient,
  engine: DockerEngine | undefined,
): Promise<DoctorObservation> {
  const { listDir } = await world.files();
  const containerName = ctx.env.NEMOCLAW_GATEWAY_CONTAINER?.trim() || DEFAULT_GATEWAY_CONTAINER;
  const registry = await ctx
    .registry()
    .read()
    .then(
      (reg) => ({
        ok: true as const,
        path: ctx.paths.registry,
        sandboxes: Object.values(reg.sandboxes).map((s) => ({
          name: s.name,
          dashboardPort: s.dashboardPort,
          remote: isRemoteEntry(s),
        })),
        gatewayUrl: Object.values(reg.sandboxes).find((s) => isRemoteEntry(s))?.gatewayUrl,
      }),
      (e: unknown) => ({ ok: false as const, path: ctx.paths.registry, error: errorMessage(e) }),
    );
  const inv = engine ? await world.docker() : undefined;
  // Reads that fail are reported as "unknown" checks, not taken for empty answers.
  const unobserved: Unobserved[] = [];
  const [osList, status, forwards, containers, journals, session, blueprints] = await Promise.all([
    os.sandboxList({ allWorkspaces: true }).then(
      (l) => ({
        ok: true as const,
        sandboxes: l.map((s) => ({ name: s.name, phase: String(s.phase) })),
      }),
      (e: unknown) => ({ ok: false as const, error: errorMessage(e) }),
    ),
    os.status().then(
      (s) => ({
        connected: CONNECTED.has(s.status),
        detail: `${s.status}${s.version ? ` (gateway ${s.version})` : ''}`,
      }),
      (e: unknown) => ({ connected: false, detail: errorMessage(e) }),
    ),
    orRecord(
      ctx,
      unobserved,
      {
        id: 'openshell.forward-list',
        what: "list OpenShell's port forwards",
        consequence:
          'forwards to unregistered sandboxes and missing dashboard forwards are not checked',
      },
      os.forwardList(),
      undefined,
    ),
    engine && inv ? inv.listContainers(engine).catch(() => undefined) : Promise.resolve(undefined),
    listDir(ctx.paths.journalDir).then((names) =>
      Promise.all(
        names
          .filter((n) => n.endsWith('.json'))
          .map(async (n) => {
            const { interpretJournal } = await import('../core/ops/status.ts');
            const r = interpretJournal(await readJson(world, join(ctx.paths.journalDir, n)));
            return { sandbox: n.replace(/\.json$/, ''), step: r.step, interrupted: r.interrupted };
          }),
      ),
    ),
    readJson(world, ctx.paths.onboardSession),
    verifyBlueprints(ctx, world, unobserved),
  ]);
  const gw = containers?.find((c) => c.name === containerName);
  const mode =
    registry.ok && registry.gatewayUrl
      ? 'remote'
      : registry.ok && registry.sandboxes.length === 0 && !gw
        ? 'none'
        : 'local';
  const intent = session?.intent as { sandboxName?: string } | undefined;
  const failure = session?.failure as { step?: string } | undefined;
  return {
    registry: registry.ok
      ? { ok: true, path: registry.path, sandboxes: registry.sandboxes }
      : registry,
    openshell: osList,
    gateway: {
      mode: mode === 'none' ? 'local' : mode,
      containerName,
      container: gw ? { running: gw.state === 'running', status: gw.state } : undefined,
      engineAnswered: containers !== undefined,
      status: mode === 'none' ? undefined : status,
    },
    sandboxContainers: (containers ?? [])
      .filter(
        (c) =>
          c.labels['openshell.ai/managed-by'] === 'openshell' &&
          c.labels['openshell.ai/sandbox-name'],
      )
      .map((c) => ({
        name: c.name,
        sandbox: c.labels['openshell.ai/sandbox-name']!,
        state: c.state,
      })),
    forwards: forwards?.map((f) => ({ sandbox: f.sandbox, port: f.port, status: f.status })),
    journals: journals.filter((j) => j.interrupted),
    onboardSession: session ? { sandbox: intent?.sandboxName, step: failure?.step } : undefined,
    blueprints,
    policyDrift: osList.ok
      ? await driftOf(ctx, world, os, osList.sandboxes, unobserved)
      : undefined,
    damagedFiles: await orRecord(
      ctx,
      unobserved,
      {
        id: 'state.damaged-files',
        what: 'read the rebuild journals and snapshot manifests',
        consequence: 'damaged state files are not checked',
      },
      damagedFiles(ctx, world, unobserved),
      [],
    ),
    snapshotLitter: await orRecord(
      ctx,
      unobserved,
      {
        id: 'state.snapshot-litter',
        what: 'look for snapshot litter',
        consequence: 'leftovers of killed snapshot runs are not checked',
      },
      world.snapshots().then((m) => m.findSnapshotLitter(ctx.paths.snapshotsDir)),
      [],
    ),
    unobserved,
  };
}

/** Journals that fail their schema and snapshot manifests that cannot be read, by path. */
async function damagedFiles(
  ctx: Context,
  world: Pick<World, 'files' | 'snapshots'>,
  unobserved: Unobserved[],
): Promise<{ path: string; problem: string }[]> {
  const { listDir } = await world.files();
  const { JournalSchema } = await import('../core/rebuild/journal.ts');
  const { listSnapshots } = await world.snapshots();
  const out: { path: string; problem: string }[] = [];
  for (const n of await listDir(ctx.paths.journalDir)) {
    if (!n.endsWith('.json')) continue;
    const path = join(ctx.paths.journalDir, n);
    const raw = await readJson(world, path);
    const r = JournalSchema.safeParse(raw);
    if (!r.success || r.data.sandbox !== n.replace(/\.json$/, ''))
      out.push({
        path,
        problem: r.success
          ? 'it names another sandbox'
          : `not a valid rebuild journal (${r.error.issues[0]?.path.join('.') || 'top level'}: ${r.error.issues[0]?.message})`,
      });
  }
  for (const sandbox of await listDir(ctx.paths.snapshotsDir)) {
    if (sandbox.startsWith('.')) continue;
    const { unreadable } = await orRecord(
      ctx,
      unobserved,
      {
        id: `snapshots.${sandbox}`,
        what: `list the snapshots of ${sandbox}`,
        consequence: 'its snapshot manifests are not checked',
      },
      listSnapshots(ctx.paths.snapshotsDir, sandbox),
      { snapshots: [], unreadable: [] },
    );
    for (const u of unreadable) out.push({ path: u.manifestPath, problem: u.problem });
  }
  return out;
}

/** Registry vs live policy for every registered sandbox OpenShell has (Ready or not). */
async function driftOf(
  ctx: Context,
  world: Pick<World, 'presets'>,
  os: OpenshellClient,
  live: { name: string }[],
  unobserved: Unobserved[],
): Promise<DoctorObservation['policyDrift']> {
  const { policyDrift, driftFinding } = await import('./policy-drift.ts');
  const reg = await ctx
    .registry()
    .read()
    .catch(() => undefined);
  if (!reg) return undefined;
  const names = new Set(live.map((s) => s.name));
  const out: NonNullable<DoctorObservation['policyDrift']> = [];
  for (const entry of Object.values(reg.sandboxes)) {
    if (!names.has(entry.name)) continue;
    const d = await orRecord(
      ctx,
      unobserved,
      {
        id: `policy-drift.${entry.name}`,
        what: `compare the live policy of ${entry.name} with the registry`,
        consequence: 'its policy drift is not checked',
      },
      policyDrift(world, os, entry),
      [],
    );
    if (d.length > 0) out.push({ sandbox: entry.name, ...driftFinding(entry.name, d) });
  }
  return out;
}

async function verifyBlueprints(
  ctx: Context,
  world: Pick<World, 'blueprints'>,
  unobserved: Unobserved[],
): Promise<DoctorObservation['blueprints']> {
  const { listPackagedVersions, resolveBlueprint, verifyBlueprint } = await world.blueprints();
  const versions = await orRecord(
    ctx,
    unobserved,
    {
      id: 'blueprints.packaged',
      what: 'list the packaged blueprints',
      consequence: 'their digests are not verified',
    },
    listPackagedVersions(ctx.packageRoot),
    [],
  );
  return Promise.all(
    versions.map(async (v) => {
      try {
        const r = await resolveBlueprint({
          packageRoot: ctx.packageRoot,
          home: ctx.paths.home,
          spec: v,
        });
        const x = await verifyBlueprint(r);
        const d = x.differences[0];
        return {
          version: v,
          ok: x.ok,
          expected: x.expected,
          actual: x.actual,
          firstDifference: d ? `${d.path} (${d.change})` : undefined,
        };
      } catch (e) {
        return { version: v, ok: false, actual: `unreadable: ${errorMessage(e)}` };
      }
    }),
  );
}

async function preflightChecks(
  ctx: Context,
  world: Pick<World, 'blueprints'> & PreflightWorld,
  os: OpenshellClient,
  hasSandboxes: boolean,
): Promise<CheckResult[]> {
  const { resolveBlueprint } = await world.blueprints();
  const { runPreflight } = await import('./preflight.ts');
  const bp = await resolveBlueprint({ packageRoot: ctx.packageRoot, home: ctx.paths.home });
  const port = (name: string, d: number) => {
    const n = Number(ctx.env[name]);
    return Number.isInteger(n) && n > 0 ? n : d;
  };
  return runPreflight(
    {
      env: ctx.env,
      engine: () => world.engine(),
      docker: () => world.docker(),
      host: () => world.host(),
      gpuProbe: () => world.gpuProbe(),
    },
    {
      blueprint: bp.blueprint,
      gatewayMode: ctx.env.NEMOCLAW_GATEWAY_URL ? 'remote' : 'local',
      gatewayPort: port('NEMOCLAW_GATEWAY_PORT', 8080),
      dashboardPort: port('NEMOCLAW_DASHBOARD_PORT', bp.blueprint.agents.openclaw.dashboard_port),
      gpu: { mode: 'auto' },
      // With sandboxes registered, their forwards hold the dashboard port; the state checks cover them.
      ownDashboardForward: hasSandboxes,
      openshellVersion: () => os.version(),
    },
  );
}

/** Both halves, for doctor itself and for the debug bundle. */
export async function runDoctor(ctx: Context, deps: DoctorDeps): Promise<CheckResult[]> {
  const os = await deps.openshell();
  const engine = await deps.answeringEngine(3000);
  const hasSandboxes = await ctx
    .registry()
    .read()
    .then(
      (r) => Object.keys(r.sandboxes).length > 0,
      () => false,
    );
  const { agentAuditChecks, registryPostureChecks } = await import('./posture.ts');
  const [pre, state, posture, audits] = await Promise.all([
    preflightChecks(ctx, deps, os, hasSandboxes).catch((e: unknown) => [
      checkCrashed('preflight', 'Preflight', e),
    ]),
    observeState(ctx, deps, os, engine).then(stateChecks, (e: unknown) => [
      checkCrashed('state', 'State', e),
    ]),
    registryPostureChecks(ctx).catch((e: unknown) => [checkCrashed('posture', 'Posture', e)]),
    agentAuditChecks(ctx, (e) => deps.sandboxClient(e.name)).catch((e: unknown) => [
      checkCrashed('agent.audit', 'Agent audit', e),
    ]),
  ]);
  return [...pre, ...state, ...posture, ...audits];
}

export async function doctorCommand(
  ctx: Context,
  o: { json?: boolean },
  deps: DoctorDeps,
): Promise<number> {
  const results = await runDoctor(ctx, deps);
  const sum = summarise(results);
  if (o.json) {
    ctx.ui.json({ schemaVersion: 1, ok: sum.fail === 0, summary: sum, checks: results });
  } else {
    for (const l of formatChecks(results)) ctx.ui.out(l);
    ctx.ui.out('');
    ctx.ui.out(`${sum.ok} ok, ${sum.warn} warning(s), ${sum.fail} failure(s)`);
  }
  return sum.fail > 0 ? 1 : 0;
}
