/** What the snapshot use cases need from the outside, built from the context by the commands. */
import type { Context } from '../context.ts';
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import { NemoclawError } from '../core/errors.ts';

export type SnapshotClient = Pick<
  OpenshellClient,
  'sandboxDownload' | 'sandboxUpload' | 'sandboxExec' | 'sandboxGet'
>;

export interface SnapshotDeps {
  openshell: SnapshotClient;
  /** Asks a yes/no question; only called when a terminal is there and --yes was not given. */
  confirm(message: string): Promise<boolean>;
}

/** The client is built on first use, so `backup-all` with no sandboxes never needs OpenShell. */
export function snapshotDeps(ctx: Context): SnapshotDeps {
  let client: Promise<OpenshellClient> | undefined;
  const get = (): Promise<OpenshellClient> =>
    (client ??= ctx.openshell
      ? ctx.openshell()
      : Promise.reject(
          new NemoclawError(
            'unavailable',
            'This nemoclaw build has no OpenShell client wired in.',
            {
              hint: 'This is a bug in nemoclaw. Run `nemoclaw debug` and attach the bundle to a report.',
            },
          ),
        ));
  return {
    openshell: {
      sandboxGet: async (...a) => (await get()).sandboxGet(...a),
      sandboxDownload: async (...a) => (await get()).sandboxDownload(...a),
      sandboxUpload: async (...a) => (await get()).sandboxUpload(...a),
      sandboxExec: async (...a) => (await get()).sandboxExec(...a),
    },
    confirm: async (message) =>
      (await import('../adapters/terminal/confirm.ts')).promptConfirm(message),
  };
}
