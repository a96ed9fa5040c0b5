/**
 * Where commands get their OpenShell client: the execa client, bound to nemoclaw's gateway
 * (`-g nemoclaw` on every call) and to the log.
 */
import type { Context } from '../../context.ts';
import type { OpenshellClient } from './types.ts';

export const DEFAULT_GATEWAY_NAME = 'nemoclaw';

export async function openshellClient(
  ctx: Context,
  gateway = DEFAULT_GATEWAY_NAME,
): Promise<OpenshellClient> {
  const { createOpenshellClient } = await import('./client.ts');
  return createOpenshellClient({ gateway, env: ctx.env, log: ctx.log });
}
