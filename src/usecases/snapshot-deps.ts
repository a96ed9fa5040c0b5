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
  const scoped = new Map<string, Promise<OpenshellClient>>();
  // A sandbox in its own OpenShell workspace needs a client bound to it; the others share one.
  const forSandbox = async (name: string): Promise<OpenshellClient> => {
    const ws = (await ctx.registry().read()).sandboxes[name]?.workspace;
    if (!ws) return get();
    let c = scoped.get(name);
    if (!c) {
      c = import('../adapters/openshell/factory.ts').then((m) => m.sandboxClient(ctx, name));
      scoped.set(name, c);
    }
    return c;
  };
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
      sandboxGet: async (...a) => (await forSandbox(a[0])).sandboxGet(...a),
      sandboxDownload: async (...a) => (await forSandbox(a[0])).sandboxDownload(...a),
      sandboxUpload: async (...a) => (await forSandbox(a[0])).sandboxUpload(...a),
      sandboxExec: async (...a) => (await forSandbox(a[0])).sandboxExec(...a),
    },
    confirm: async (message) =>
      (await import('../adapters/terminal/confirm.ts')).promptConfirm(message),
  };
}
