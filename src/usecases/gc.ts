/**
 * `nemoclaw gc [--dry-run]`: observe the Engine and the registry once, plan (core/gc.ts), print,
 * and unless it is a dry run remove what the plan lists. One failed removal does not stop the rest;
 * it is reported and makes the exit code 1.
 */
import type { DockerEngine } from '../adapters/docker/engine.ts';
import type { Context } from '../context.ts';
import { errorMessage } from '../core/errors.ts';
import { formatBytes, ownedLabelFilters, planGc, type GcPlan, type GcStep } from '../core/gc.ts';
import { DEFAULT_GATEWAY_CONTAINER } from '../core/gateway-plan.ts';
import { IMAGE_REPO_PREFIX } from '../core/sandbox-image.ts';
import type { World } from '../world.ts';

export async function observeAndPlanGc(
  ctx: Context,
  world: Pick<World, 'docker'>,
  engine: DockerEngine,
  extraLabels?: Record<string, string>,
): Promise<GcPlan> {
  const { listContainers, listImages } = await world.docker();
  const labels = ownedLabelFilters(extraLabels);
  const scoped = labels.length > 1;
  const [reg, labelled, byTag, containers, all] = await Promise.all([
    ctx.registry().read(),
    listImages(engine, { labels }),
    // Images tagged like ours but without the label (an older build): only outside test scope.
    scoped ? Promise.resolve([]) : listImages(engine, { reference: `${IMAGE_REPO_PREFIX}*` }),
    listContainers(engine, { labels }),
    listContainers(engine),
  ]);
  const images = new Map([...labelled, ...byTag].map((i) => [i.id, i]));
  return planGc({
    sandboxes: Object.values(reg.sandboxes).map((s) => ({
      name: s.name,
      image: s.image,
      provider: s.provider,
    })),
    images: [...images.values()],
    containers,
    allContainers: all.map((c) => ({ name: c.name, imageId: c.imageId })),
    gatewayContainer: ctx.env.NEMOCLAW_GATEWAY_CONTAINER?.trim() || DEFAULT_GATEWAY_CONTAINER,
  });
}

export interface GcOutcome {
  removed: GcStep[];
  failed: { step: GcStep; error: string }[];
}

export async function applyGc(
  world: Pick<World, 'docker'>,
  engine: DockerEngine,
  plan: GcPlan,
): Promise<GcOutcome> {
  const { removeContainer, removeImage } = await world.docker();
  const out: GcOutcome = { removed: [], failed: [] };
  // Containers first: an image cannot go while a container made from it exists.
  for (const s of plan.steps) {
    try {
      if (s.kind === 'docker.container.remove') await removeContainer(engine, s.id);
      else for (const r of s.refs) await removeImage(engine, r);
      out.removed.push(s);
    } catch (e) {
      out.failed.push({ step: s, error: errorMessage(e) });
    }
  }
  return out;
}

/** Partial archives and working folders of killed snapshot creates and restores (item 8). */
async function snapshotLitter(
  ctx: Context,
  world: Pick<World, 'snapshots'>,
  o: { dryRun?: boolean },
): Promise<void> {
  const { findSnapshotLitter, removeLitter } = await world.snapshots();
  const litter = await findSnapshotLitter(ctx.paths.snapshotsDir);
  if (litter.length === 0) return;
  const bytes = litter.reduce((n, l) => n + l.bytes, 0);
  ctx.ui.out(
    `${o.dryRun ? 'Would remove' : 'Removing'} what interrupted snapshots left (${formatBytes(bytes)}):`,
  );
  for (const l of litter) ctx.ui.out(`  ${l.kind} ${l.path}`);
  if (!o.dryRun) {
    await removeLitter(litter);
    ctx.log.info({ removed: litter.map((l) => l.path) }, 'gc: snapshot litter');
  }
}

export async function gcCommand(
  ctx: Context,
  world: Pick<World, 'engine' | 'extraLabels' | 'docker' | 'snapshots'>,
  o: { dryRun?: boolean },
): Promise<number> {
  await snapshotLitter(ctx, world, o);
  const { pingEngine } = await world.docker();
  const engine = await world.engine();
  await pingEngine(engine);
  const plan = await observeAndPlanGc(ctx, world, engine, world.extraLabels);
  const { out } = ctx.ui;
  const total = plan.steps.reduce(
    (n, s) => n + (s.kind === 'docker.image.remove' ? s.sizeBytes : 0),
    0,
  );
  if (plan.steps.length === 0)
    out('Nothing to remove: every image and container nemoclaw made is in use.');
  else {
    out(o.dryRun ? 'Would remove:' : 'Removing:');
    for (const s of plan.steps) out(`  ${label(s)}  (${s.cause})`);
  }
  if (plan.kept.length > 0) {
    out('Kept:');
    for (const k of plan.kept) out(`  ${k.kind} ${k.target}  (${k.reason})`);
  }
  if (o.dryRun) {
    if (plan.steps.length > 0)
      out(
        `Run \`nemoclaw gc\` to remove them${total ? ` and free about ${formatBytes(total)}` : ''}.`,
      );
    return 0;
  }
  if (plan.steps.length === 0) return 0;
  const r = await applyGc(world, engine, plan);
  ctx.log.info({ removed: r.removed.map(label), failed: r.failed.length }, 'gc');
  out(
    `Removed ${r.removed.length} of ${plan.steps.length}${total ? ` (about ${formatBytes(total)})` : ''}.`,
  );
  for (const f of r.failed) ctx.ui.error(`Could not remove ${label(f.step)}: ${f.error}`);
  return r.failed.length > 0 ? 1 : 0;
}

function label(s: GcStep): string {
  return s.kind === 'docker.container.remove' ? `container ${s.target}` : `image ${s.target}`;
}
