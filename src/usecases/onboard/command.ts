/** Onboarding's view of the world (src/world.ts). */
import type { Context } from '../../context.ts';
import type { PolicyFiles, World } from '../../world.ts';
import { policyFilesOf } from '../policy-shared.ts';
import { GATEWAY_NAME, type OnboardDeps, type OnboardOptions } from './types.ts';

export async function onboardCommand(
  ctx: Context,
  world: Pick<
    World,
    | 'openshell'
    | 'engine'
    | 'prompter'
    | 'extraLabels'
    | 'blueprints'
    | 'http'
    | 'gpuProbe'
    | 'checkOpenshellVersion'
    | 'progress'
    | 'snapshots'
    | 'docker'
    | 'files'
    | 'host'
    | 'interrupts'
    | keyof PolicyFiles
  >,
  o: OnboardOptions,
): Promise<number> {
  const interactive = !o.nonInteractive && !ctx.nonInteractive;
  const openshell = await world.openshell(GATEWAY_NAME);
  const deps: OnboardDeps = {
    openshell,
    openshellIn: (workspace) => world.openshell(GATEWAY_NAME, workspace),
    engine: () => world.engine(),
    prompter: interactive ? await world.prompter() : undefined,
    // A spinner only where someone watches; CI logs and pipes get plain [n/8] lines.
    progressStream: interactive && !ctx.env.CI ? process.stderr : undefined,
    // A recreate never deletes an agent's memory without a verified copy on the host first.
    snapshot: async (name) => {
      const { createSnapshot } = await import('../snapshot-create.ts');
      const { verifySnapshot } = await import('../snapshot-restore.ts');
      const { agentStatePaths } = await import('../snapshot.ts');
      const entry = (await ctx.registry().read()).sandboxes[name]!;
      const statePaths = await agentStatePaths(ctx, world, entry);
      const r = await createSnapshot(
        {
          openshell: await world.openshell(GATEWAY_NAME, entry.workspace),
          snapshots: () => world.snapshots(),
        },
        {
          snapshotsDir: ctx.paths.snapshotsDir,
          source: entry,
          statePaths,
          name: `pre-recreate-${ctx.now().toISOString().replace(/[:.]/g, '-')}`,
          now: ctx.now(),
        },
      );
      const failed = r.skipped.filter((x) => x.code === 'failed');
      if (failed.length > 0) {
        const { NemoclawError } = await import('../../core/errors.ts');
        throw new NemoclawError(
          'failed',
          `The snapshot before recreating ${name} could not save ${failed.map((f) => f.path).join(', ')}; nothing was deleted.`,
          {
            hint: `Check those paths (nemoclaw ${name} exec -- ls -la <path>), or keep the sandbox (omit --recreate-sandbox).`,
          },
        );
      }
      await verifySnapshot(world, r.record, statePaths);
      return r.record.id;
    },
    extraLabels: world.extraLabels,
    ...policyFilesOf(world),
    blueprints: () => world.blueprints(),
    http: () => world.http(),
    gpuProbe: () => world.gpuProbe(),
    checkOpenshellVersion: (client, bp) => world.checkOpenshellVersion(client, bp),
    progress: (...a) => world.progress(...a),
    docker: () => world.docker(),
    files: () => world.files(),
    host: () => world.host(),
    interrupts: () => world.interrupts(),
  };
  const { onboard } = await import('./run.ts');
  return onboard(ctx, deps, o);
}
