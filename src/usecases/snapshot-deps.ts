/** What the snapshot use cases need from the outside, built from the context by the commands. */
import type { Context } from '../context.ts';
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import { NemoclawError } from '../core/errors.ts';

export interface SnapshotDeps {
  openshell: Pick<
    OpenshellClient,
    'sandboxDownload' | 'sandboxUpload' | 'sandboxExec' | 'sandboxGet'
  >;
  /** Asks a yes/no question; only called when a terminal is there and --yes was not given. */
  confirm(message: string): Promise<boolean>;
}

export async function snapshotDeps(ctx: Context): Promise<SnapshotDeps> {
  if (!ctx.openshell) {
    throw new NemoclawError(
      'unavailable',
      'This nemoclaw build has no OpenShell client wired in.',
      {
        hint: 'This is a bug in nemoclaw. Run `nemoclaw debug` and attach the bundle to a report.',
      },
    );
  }
  const openshell = await ctx.openshell();
  return {
    openshell,
    confirm: async (message) =>
      (await import('../adapters/terminal/confirm.ts')).promptConfirm(message),
  };
}
