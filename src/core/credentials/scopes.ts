/**
 * Where `credentials list|add|reset` act. Providers belong to one OpenShell workspace on one
 * gateway (v0.0.111 docs/sandboxes/manage-workspaces.mdx), and nemoclaw gives each new sandbox its
 * own workspace; so a provider key lives in every (gateway, workspace) the registered sandboxes
 * use, and rotating it has to reach each of them. Pure: the use case observes, this decides.
 */
import type { SandboxEntry } from '../registry/schema.ts';
import { DEFAULT_GATEWAY_NAME } from '../gateway-plan.ts';
import { DEFAULT_WORKSPACE, workspaceOf } from '../workspace.ts';

/** One (gateway, workspace) and the registered sandboxes in it. */
export interface CredentialScope {
  gateway: string;
  workspace: string;
  sandboxes: string[];
}

type Placed = Pick<SandboxEntry, 'name' | 'gatewayName' | 'workspace'>;

/**
 * Every distinct (gateway, workspace) of the registered sandboxes, in a stable order (gateway,
 * then workspace); `only` narrows to that one sandbox's. An empty registry: the default gateway's
 * default workspace, where nemoclaw acted before it gave sandboxes workspaces of their own.
 */
export function credentialScopes(entries: Placed[], only?: string): CredentialScope[] {
  const chosen = only === undefined ? entries : entries.filter((e) => e.name === only);
  if (chosen.length === 0) {
    return only === undefined
      ? [{ gateway: DEFAULT_GATEWAY_NAME, workspace: DEFAULT_WORKSPACE, sandboxes: [] }]
      : [];
  }
  const byKey = new Map<string, CredentialScope>();
  for (const e of chosen) {
    const gateway = e.gatewayName ?? DEFAULT_GATEWAY_NAME;
    const workspace = workspaceOf(e);
    const k = `${gateway}\0${workspace}`;
    const s = byKey.get(k) ?? { gateway, workspace, sandboxes: [] };
    s.sandboxes.push(e.name);
    byKey.set(k, s);
  }
  return [...byKey.values()]
    .map((s) => ({ ...s, sandboxes: [...s.sandboxes].sort() }))
    .sort((a, b) =>
      a.gateway === b.gateway
        ? a.workspace.localeCompare(b.workspace)
        : a.gateway.localeCompare(b.gateway),
    );
}

/** The workspace argument for the OpenShell client: none for `default` (OpenShell's own). */
export function clientWorkspace(s: Pick<CredentialScope, 'workspace'>): string | undefined {
  return s.workspace === DEFAULT_WORKSPACE ? undefined : s.workspace;
}

/** A scope in words: "workspace nc-a on gateway nemoclaw (sandboxes a, b)". */
export function describeScope(s: CredentialScope): string {
  const where =
    s.workspace === DEFAULT_WORKSPACE
      ? `the default workspace on gateway ${s.gateway}`
      : `workspace ${s.workspace} on gateway ${s.gateway}`;
  if (s.sandboxes.length === 0) return where;
  return `${where} (${s.sandboxes.length === 1 ? 'sandbox' : 'sandboxes'} ${s.sandboxes.join(', ')})`;
}

/** What one scope was seen to hold of the provider being reset. */
export interface ObservedProvider {
  scope: CredentialScope;
  /** Absent: this scope has no such provider. */
  provider?: { type: string; credentialKeys: string[] };
  /** The scope could not be read (its gateway is down, …): reported, not updated. */
  error?: string;
}

export interface ResetTarget {
  scope: CredentialScope;
  type: string;
  keys: string[];
}

export type ResetPlan =
  | { kind: 'not-found' }
  | {
      kind: 'update';
      targets: ResetTarget[];
      /** Each key's new value is asked once and goes to every target that stores it. */
      keys: string[];
      /** Scopes that could not be read: they keep the old value, and the command fails. */
      unreadable: { scope: CredentialScope; error: string }[];
    }
  | { kind: 'no-credential' };

/**
 * Which scopes get the new value: each that holds the provider. A provider that stores no key
 * names falls back to the spec's key (`fallbackKey`). Nothing holds it and nothing was unreadable:
 * not-found; nothing readable holds it but a scope was unreadable: an update of nothing that
 * reports the unreadable scope (it may hold the provider).
 */
export function planReset(observed: ObservedProvider[], fallbackKey?: string): ResetPlan {
  const unreadable = observed.flatMap((o) =>
    o.error !== undefined ? [{ scope: o.scope, error: o.error }] : [],
  );
  const targets: ResetTarget[] = [];
  for (const o of observed) {
    if (o.error !== undefined || !o.provider) continue;
    const keys = o.provider.credentialKeys.length
      ? o.provider.credentialKeys
      : fallbackKey
        ? [fallbackKey]
        : [];
    targets.push({ scope: o.scope, type: o.provider.type, keys });
  }
  if (targets.length === 0 && unreadable.length === 0) return { kind: 'not-found' };
  if (targets.length > 0 && targets.every((t) => t.keys.length === 0)) {
    return { kind: 'no-credential' };
  }
  const keys = [...new Set(targets.flatMap((t) => t.keys))];
  return { kind: 'update', targets: targets.filter((t) => t.keys.length > 0), keys, unreadable };
}
