/**
 * `nemoclaw uninstall`: observe (registry, OpenShell, Engine, NEMOCLAW_HOME, install receipt) →
 * plan (core/uninstall-plan.ts) → print → confirm → apply, then report what went and what stayed.
 * Every step is attempted even when an earlier one failed: a half-uninstalled host is worse than
 * one with a listed leftover.
 */
import type { DockerEngine } from '../adapters/docker/engine.ts';
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Context } from '../context.ts';
import { ask, assertCanAsk } from '../core/consent.ts';
import { errorMessage } from '../core/errors.ts';
import { ownedLabelFilters } from '../core/gc.ts';
import type { World } from '../world.ts';
import {
  DEFAULT_GATEWAY_CONTAINER,
  DEFAULT_GATEWAY_NAME,
  DEFAULT_GATEWAY_VOLUME,
  MANAGED_BY_LABEL,
} from '../core/gateway-plan.ts';
import type { StepHandlers } from '../core/plan-run.ts';
import {
  planUninstall,
  type UninstallObservation,
  type UninstallOptions,
  type UninstallPlan,
  type UninstallStep,
} from '../core/uninstall-plan.ts';
import { orWarn } from './unobserved.ts';
import { reportingHooks } from './plan-hooks.ts';

export interface UninstallCommandOptions extends Partial<UninstallOptions> {
  yes?: boolean;
  dryRun?: boolean;
}

export type UninstallDeps = Pick<
  World,
  'openshell' | 'answeringEngine' | 'confirm' | 'extraLabels' | 'docker' | 'files' | 'blueprints'
>;

const SANDBOX_LABEL = 'openshell.ai/sandbox-name';

async function observe(
  ctx: Context,
  deps: Pick<UninstallDeps, 'docker' | 'files' | 'blueprints'> & {
    openshell: OpenshellClient;
    engine?: DockerEngine;
    extraLabels?: Record<string, string>;
  },
): Promise<UninstallObservation> {
  const inv = await deps.docker();
  const { listDir, readReceipt, exists } = await deps.files();
  const reg = await ctx
    .registry()
    .read()
    .catch(() => undefined);
  const sandboxes = Object.values(reg?.sandboxes ?? {}).map((s) => ({
    name: s.name,
    dashboardPort: s.dashboardPort,
    gatewayUrl: s.gatewayUrl,
  }));
  const os = deps.openshell;
  const [osList, gwList, receipt, homeEntries] = await Promise.all([
    os
      .sandboxList({ allWorkspaces: true })
      .then((l) => l.map((s) => s.name))
      .catch(() => undefined),
    orWarn(
      ctx,
      {
        id: 'openshell.gateway-list',
        what: "list OpenShell's gateways",
        consequence: `gateway ${DEFAULT_GATEWAY_NAME} is taken as not registered; if it is, remove it with: openshell gateway remove ${DEFAULT_GATEWAY_NAME}`,
      },
      os.gatewayList(),
      [],
    ),
    readReceipt(ctx.paths.home),
    listDir(ctx.paths.home),
  ]);
  const containerName = ctx.env.NEMOCLAW_GATEWAY_CONTAINER?.trim() || DEFAULT_GATEWAY_CONTAINER;
  const volumeName = ctx.env.NEMOCLAW_GATEWAY_VOLUME?.trim() || DEFAULT_GATEWAY_VOLUME;
  const labels = ownedLabelFilters(deps.extraLabels);
  const e = deps.engine;
  const names = new Set([...sandboxes.map((s) => s.name), ...(osList ?? [])]);
  const [owned, images, volumes, sandboxContainers, gateway, openshellImages] = e
    ? await Promise.all([
        inv.listContainers(e, { labels }),
        inv.listImages(e, { labels }),
        inv.listVolumes(e, { labels }),
        inv
          .listContainers(e, { labels: ['openshell.ai/managed-by=openshell'] })
          .then((cs) => cs.filter((c) => names.has(c.labels[SANDBOX_LABEL] ?? ''))),
        // Only a gateway container nemoclaw made (by label): a user's own of that name stays.
        inv
          .listContainers(e)
          .then((cs) =>
            cs.find((c) => c.name === containerName && c.labels[MANAGED_BY_LABEL] === 'nemoclaw'),
          ),
        blueprintImages(ctx, deps).then(async (refs) => {
          const have = await Promise.all(
            refs.map((r) => inv.listImages(e, { reference: r }).then((l) => (l.length ? r : ''))),
          );
          return have.filter((r) => r !== '');
        }),
      ])
    : [[], [], [], [], undefined, []];
  const gatewayVolume =
    e && (await inv.volumeExists(e, volumeName).catch(() => false)) ? volumeName : undefined;
  return {
    home: ctx.paths.home,
    homeEntries,
    snapshotsDirName: 'snapshots',
    sandboxes,
    openshellSandboxes: osList,
    sandboxContainers: sandboxContainers.map((c) => ({
      id: c.id,
      name: c.name,
      sandbox: c.labels[SANDBOX_LABEL]!,
    })),
    gatewayRegistered: gwList.some((g) => g.name === DEFAULT_GATEWAY_NAME),
    gatewayName: DEFAULT_GATEWAY_NAME,
    gatewayContainer: gateway ? { id: gateway.id, name: gateway.name } : undefined,
    gatewayVolume,
    containers: owned,
    images,
    openshellImages,
    modelVolumes: volumes.filter((v) => v.name !== volumeName).map((v) => v.name),
    openshellBinary:
      receipt.openshellPath && (await exists(receipt.openshellPath))
        ? receipt.openshellPath
        : undefined,
    nemoclawPrefix: receipt.nemoclawPrefix,
  };
}

/** The gateway and supervisor images of the newest packaged blueprint (and their overrides). */
async function blueprintImages(ctx: Context, world: Pick<World, 'blueprints'>): Promise<string[]> {
  try {
    const { resolveBlueprint } = await world.blueprints();
    const r = await resolveBlueprint({ packageRoot: ctx.packageRoot, home: ctx.paths.home });
    return [
      ctx.env.NEMOCLAW_GATEWAY_IMAGE?.trim() || r.blueprint.openshell.gateway_image,
      ctx.env.NEMOCLAW_SUPERVISOR_IMAGE?.trim() || r.blueprint.openshell.supervisor_image,
    ];
  } catch {
    return [];
  }
}

export function formatUninstallPlan(plan: UninstallPlan): string[] {
  const lines = ['nemoclaw uninstall will remove:'];
  if (plan.steps.length === 0)
    lines.push('  (nothing: no nemoclaw state, containers or images found)');
  for (const s of plan.steps) lines.push(`  - ${describe(s)}  (${s.cause})`);
  if (plan.kept.length > 0) {
    lines.push('and keep:');
    for (const k of plan.kept) lines.push(`  - ${k.target}  (${k.reason})`);
  }
  return lines;
}

function describe(s: UninstallStep): string {
  switch (s.kind) {
    case 'openshell.forward.stop':
      return `forward ${s.port} of ${s.ref}`;
    case 'openshell.sandbox.delete':
      return `sandbox ${s.target}`;
    case 'openshell.gateway.remove':
      return `gateway registration ${s.target}`;
    case 'docker.container.remove':
      return `container ${s.target}`;
    case 'docker.volume.remove':
      return `volume ${s.target}`;
    case 'docker.image.remove':
      return `image ${s.target}`;
    case 'file.remove':
      return s.target;
  }
}

/** One handler per step kind; `clientFor` picks the sandbox's own workspace where it has one. */
function handlers(
  world: Pick<World, 'docker' | 'files'>,
  os: OpenshellClient,
  clientFor: (s: UninstallStep) => Promise<OpenshellClient>,
  e: DockerEngine | undefined,
): StepHandlers<UninstallStep> {
  const engine = () => {
    if (!e) throw new Error('the Docker Engine did not answer');
    return e;
  };
  const inv = () => world.docker();
  return {
    'openshell.forward.stop': (s) => os.forwardStop(s.ref, s.port!),
    'openshell.sandbox.delete': async (s) => (await clientFor(s)).sandboxDelete(s.ref),
    'openshell.gateway.remove': (s) => os.gatewayRemove(s.ref),
    'file.remove': async (s) => (await world.files()).removePath(s.ref),
    'docker.container.remove': async (s) => (await inv()).removeContainer(engine(), s.ref),
    'docker.volume.remove': async (s) => (await inv()).removeVolume(engine(), s.ref),
    'docker.image.remove': async (s) => {
      const { removeImage } = await inv();
      for (const r of s.refs ?? [s.ref]) await removeImage(engine(), r);
    },
  };
}

export async function uninstallCommand(
  ctx: Context,
  deps: UninstallDeps,
  o: UninstallCommandOptions,
): Promise<number> {
  const options: UninstallOptions = {
    keepOpenshell: Boolean(o.keepOpenshell),
    deleteModels: Boolean(o.deleteModels),
    destroyUserData: Boolean(o.destroyUserData),
  };
  const question = 'Remove all of the above?';
  const consent = {
    yes: o.yes,
    dryRun: o.dryRun,
    destructive: true,
    env: ctx.env,
    stdinIsTTY: ctx.ui.stdinIsTTY,
    retry: 'nemoclaw uninstall',
  };
  assertCanAsk('uninstall removes sandboxes, images and state', consent);
  const openshell = await deps.openshell();
  const engine = await deps.answeringEngine();
  if (!engine)
    ctx.ui.warn(
      'The Docker Engine did not answer: containers, volumes and images are not included. Start Docker and run uninstall again to remove them.',
    );
  const plan = planUninstall(await observe(ctx, { ...deps, openshell, engine }), options);
  for (const l of formatUninstallPlan(plan)) ctx.ui.out(l);
  if (o.dryRun) return 0;
  if (plan.steps.length === 0) return 0;
  if (!(await ask(question, { ...consent, confirm: (q) => deps.confirm(q) }))) {
    ctx.ui.info('Nothing was removed.');
    return 1;
  }

  // A sandbox in its own OpenShell workspace is deleted there.
  const reg = await ctx
    .registry()
    .read()
    .catch(() => undefined);
  const clientFor = async (s: UninstallStep): Promise<OpenshellClient> => {
    const ws = reg?.sandboxes[s.ref]?.workspace;
    if (!ws) return openshell;
    return deps.openshell(reg!.sandboxes[s.ref]!.gatewayName, ws);
  };
  // Every step is attempted even when an earlier one failed (keepGoing).
  const { runPlan } = await import('../core/plan-run.ts');
  const run = await runPlan(plan, handlers(deps, openshell, clientFor, engine), {
    // uninstall lists every failure itself, after the run.
    ...reportingHooks(ctx, { nameFailedStep: false }),
    keepGoing: true,
  });
  const removed = run.done;
  const failed = run.failed.map((f) => ({ step: f.step, error: errorMessage(f.error) }));
  ctx.log.info(
    { removed: removed.map(describe), failed: failed.map((f) => describe(f.step)) },
    'uninstall',
  );
  ctx.ui.out('');
  ctx.ui.out(`Removed (${removed.length}):`);
  for (const s of removed) ctx.ui.out(`  ✓ ${describe(s)}`);
  if (plan.kept.length > 0) {
    ctx.ui.out(`Kept (${plan.kept.length}):`);
    for (const k of plan.kept) ctx.ui.out(`  • ${k.target}  (${k.reason})`);
  }
  for (const f of failed) ctx.ui.error(`✗ could not remove ${describe(f.step)}: ${f.error}`);
  for (const n of plan.next) ctx.ui.info(n);
  return failed.length > 0 ? 1 : 0;
}
