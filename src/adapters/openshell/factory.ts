/**
 * Where commands get their OpenShell client: the execa client, bound to nemoclaw's gateway
 * (`-g nemoclaw` on every call), to a sandbox's workspace when given, and to the log.
 */
import type { Context } from '../../context.ts';
import type { OpenshellClient } from './types.ts';

export const DEFAULT_GATEWAY_NAME = 'nemoclaw';

export async function openshellClient(
  ctx: Context,
  gateway = DEFAULT_GATEWAY_NAME,
  workspace?: string,
): Promise<OpenshellClient> {
  const { createOpenshellClient } = await import('./client.ts');
  return createOpenshellClient({ gateway, workspace, env: ctx.env, log: ctx.log });
}

/**
 * The client for a registered sandbox: its gateway and its OpenShell workspace. A sandbox in
 * `default` (or unknown) gets the context's client, as before workspaces.
 */
export async function sandboxClient(ctx: Context, sandbox: string): Promise<OpenshellClient> {
  const e = (await ctx.registry().read()).sandboxes[sandbox];
  if (!e?.workspace && ctx.openshell) return ctx.openshell();
  return openshellClient(ctx, e?.gatewayName ?? DEFAULT_GATEWAY_NAME, e?.workspace);
}
