/**
 * OpenShell workspaces (v0.0.111 docs/sandboxes/manage-workspaces.mdx): providers, inference routes,
 * policies and sandboxes belong to one. nemoclaw gives each new sandbox its own, so that switching
 * one sandbox's model leaves every other sandbox's route alone. Entries without one are in
 * `default`, where every such sandbox shares the gateway's route.
 */
import type { SandboxEntry } from './registry/schema.ts';

export const DEFAULT_WORKSPACE = 'default';

/** crates/openshell-server/src/grpc/workspace.rs validate_workspace_name (MAX_ROUTABLE_NAME_LEN). */
export const WORKSPACE_NAME_MAX = 19;
const WORKSPACE_NAME_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function isValidWorkspaceName(name: string): boolean {
  return name.length <= WORKSPACE_NAME_MAX && WORKSPACE_NAME_RE.test(name);
}

/** FNV-1a, base 36: a short, stable tag for names that have to be shortened. */
function tag(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36).padStart(7, '0').slice(-5);
}

/**
 * `nc-<sandbox>` when that is a valid workspace name; otherwise a shortened prefix plus a tag of
 * the full name, so two sandboxes never share one.
 */
export function workspaceNameFor(sandbox: string): string {
  const plain = `nc-${sandbox}`;
  if (isValidWorkspaceName(plain)) return plain;
  const room = WORKSPACE_NAME_MAX - 'nc-'.length - 1 - 5;
  const prefix = sandbox
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .slice(0, room)
    .replace(/^-+|-+$/g, '');
  return prefix ? `nc-${prefix}-${tag(sandbox)}` : `nc-${tag(sandbox)}`;
}

/** The workspace an entry lives in. */
export function workspaceOf(entry: Pick<SandboxEntry, 'workspace'>): string {
  return entry.workspace ?? DEFAULT_WORKSPACE;
}

/** Entries that share one inference route: same gateway, same workspace. */
export function sharesRoute(
  a: Pick<SandboxEntry, 'gatewayName' | 'workspace'>,
  b: Pick<SandboxEntry, 'gatewayName' | 'workspace'>,
): boolean {
  return a.gatewayName === b.gatewayName && workspaceOf(a) === workspaceOf(b);
}
