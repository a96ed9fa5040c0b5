/**
 * The execa OpenShell client, bound to a gateway (`-g nemoclaw` on every call), to a workspace when
 * given, and to the log. The world (src/main.ts) builds one per (gateway, workspace).
 */
import type { Logger } from '../log.ts';
import type { OpenshellClient } from './types.ts';

export const DEFAULT_GATEWAY_NAME = 'nemoclaw';

export async function openshellClient(
  where: { env: Record<string, string | undefined>; log: Logger },
  gateway = DEFAULT_GATEWAY_NAME,
  workspace?: string,
): Promise<OpenshellClient> {
  const { createOpenshellClient } = await import('./client.ts');
  return createOpenshellClient({ gateway, workspace, env: where.env, log: where.log });
}
