/**
 * The refusal `recover` gives for a sandbox OpenShell will not start (core/ops/recover-phase.ts):
 * what happened, why nothing was started, and the way back from its newest snapshot.
 */
import type { Context } from '../context.ts';
import { NemoclawError } from '../core/errors.ts';
import { recreateSteps } from '../core/ops/recover-phase.ts';
import type { World } from '../world.ts';

export async function notStartableError(
  ctx: Context,
  world: Pick<World, 'snapshots'>,
  name: string,
  phase: string,
  failed: boolean,
): Promise<NemoclawError> {
  if (!failed) {
    return new NemoclawError(
      'failed',
      `Sandbox ${name} is in phase ${phase}; OpenShell starts a sandbox only from Stopped, so nothing was started.`,
      { hint: `Wait until it settles (nemoclaw ${name} status), then run recover again.` },
    );
  }
  const { listSnapshots } = await world.snapshots();
  const { snapshots } = await listSnapshots(ctx.paths.snapshotsDir, name).catch(() => ({
    snapshots: [] as { id: string; createdAt: string }[],
  }));
  const latest = snapshots.reduce<{ id: string; createdAt: string } | undefined>(
    (a, s) => (!a || Date.parse(s.createdAt) >= Date.parse(a.createdAt) ? s : a),
    undefined,
  );
  const since = latest ? ` Its newest snapshot is ${latest.id} (${latest.createdAt}).` : '';
  return new NemoclawError(
    'failed',
    `Sandbox ${name} is in phase Error: its main process exited. OpenShell does not start a failed sandbox (only a Stopped one), so nothing was started.${since}`,
    {
      hint: `See why with \`nemoclaw ${name} logs\`. To make it again: ${recreateSteps(name, latest?.id).join('; then ')}`,
    },
  );
}
