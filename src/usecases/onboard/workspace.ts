/**
 * The OpenShell workspace an onboarding puts its provider, route and sandbox in: the registered
 * entry's (an existing sandbox in `default` stays there until its next rebuild), else a new one of
 * its own (`nc-<sandbox>`), created idempotently before its first use.
 */
import type { OpenshellClient } from '../../adapters/openshell/types.ts';
import { DEFAULT_WORKSPACE, workspaceNameFor, workspaceOf } from '../../core/workspace.ts';
import type { StepEnv } from './types.ts';

export async function onboardWorkspace(s: StepEnv): Promise<string> {
  if (!s.deps.openshellIn) return DEFAULT_WORKSPACE;
  const prev = (await s.ctx.registry().read()).sandboxes[s.intent.sandboxName];
  return prev ? workspaceOf(prev) : workspaceNameFor(s.intent.sandboxName);
}

const clients = new WeakMap<StepEnv, Promise<OpenshellClient>>();

/** The client bound to the sandbox's workspace (the workspace made first when it is new). */
export function scopedClient(s: StepEnv): Promise<OpenshellClient> {
  let c = clients.get(s);
  if (!c) {
    c = (async () => {
      const ws = await onboardWorkspace(s);
      if (ws === DEFAULT_WORKSPACE || !s.deps.openshellIn) return s.deps.openshell;
      await s.deps.openshell.workspaceCreate(ws);
      return s.deps.openshellIn(ws);
    })();
    clients.set(s, c);
    c.catch(() => clients.delete(s));
  }
  return c;
}
