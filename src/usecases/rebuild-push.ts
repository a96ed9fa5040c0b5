/**
 * A rebuild on a remote gateway (onboarded with --image-registry) pushes the new image to the same
 * registry and creates the sandbox from the pinned reference, as onboarding does
 * (core/rebuild/push-target.ts).
 */
import type { DockerEngine } from '../adapters/docker/engine.ts';
import type { Context } from '../context.ts';
import { rebuildPushRegistry } from '../core/rebuild/push-target.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import type { World } from '../world.ts';

/** What of a rebuild run this needs (usecases/rebuild-steps.ts `Run`). */
interface PushRun {
  ctx: Context;
  entry: Pick<SandboxEntry, 'gatewayUrl' | 'image'>;
  journal: { image?: string };
}

/** Pushes when the sandbox's gateway is remote; returns what to add to the step's summary. */
export async function pushRebuiltImage(
  r: PushRun,
  world: Pick<World, 'docker'>,
  engine: DockerEngine,
  tag: string,
): Promise<string> {
  const registry = rebuildPushRegistry(r.entry);
  if (!registry) return '';
  const { pushImage } = await world.docker();
  r.ctx.ui.info(`  Pushing ${tag} to ${registry}…`);
  const pushed = await pushImage(engine, tag, registry, (l) =>
    r.ctx.log.info({ push: true, line: l }, 'image push'),
  );
  r.journal.image = pushed.pinned;
  return `, pushed as ${pushed.pinned}`;
}
