/**
 * `workspace create|get|list|delete` (v0.0.111 crates/openshell-cli/src/run.rs workspace_*; the
 * gateway's rules from crates/openshell-server/src/grpc/workspace.rs and validation.rs).
 * `default` is the gateway record itself; other workspaces keep their own providers, routes and
 * sandboxes (state.ts `server`).
 */
import { randomUUID } from 'node:crypto';
import type { Parsed } from '../args.ts';
import { formatEpochMs, grpcError, json, out, pad } from '../io.ts';
import type { WorkspaceRec } from '../state.ts';
import { gatewayServer, readState, update } from '../state.ts';
import { requireReachable, resolveGateway } from './gateway.ts';

/** validate_workspace_name: required, ≤ 19 (MAX_ROUTABLE_NAME_LEN), a DNS-1123 label. */
function validateName(name: string): void {
  const bad = (m: string) => grpcError('InvalidArgument', m);
  if (!name) throw bad('workspace name is required');
  if (name.length > 19) throw bad(`workspace name exceeds maximum length (${name.length} > 19)`);
  if (!/^[a-z0-9-]+$/.test(name)) {
    throw bad('workspace name must contain only lowercase alphanumeric characters or hyphens');
  }
  if (name.startsWith('-') || name.endsWith('-')) {
    throw bad('workspace name must not start or end with a hyphen');
  }
  if (name.includes('--')) throw bad('workspace name must not contain consecutive hyphens');
}

async function ctxOf(p: Parsed) {
  const ctx = resolveGateway(p, readState());
  await requireReachable(ctx);
  return ctx;
}

/** Every workspace of the gateway, `default` (created by the gateway itself) first. */
function all(endpoint: string): [string, WorkspaceRec | undefined][] {
  const gw = gatewayServer(readState(), endpoint);
  const rest = Object.entries(gw.workspaces ?? {}).sort(
    (a, b) => a[1].created_at_ms - b[1].created_at_ms,
  );
  return [['default', undefined], ...rest];
}

export async function create(p: Parsed): Promise<void> {
  const ctx = await ctxOf(p);
  const name = p.flags.name as string;
  validateName(name);
  const labels: Record<string, string> = {};
  for (const l of (p.flags.label as string[] | undefined) ?? []) {
    const i = l.indexOf('=');
    if (i >= 0) labels[l.slice(0, i)] = l.slice(i + 1);
  }
  update((s) => {
    const gw = gatewayServer(s, ctx.endpoint);
    if (name === 'default' || gw.workspaces?.[name]) {
      throw grpcError('AlreadyExists', 'workspace already exists');
    }
    (gw.workspaces ??= {})[name] = {
      id: randomUUID(),
      labels,
      created_at_ms: Date.now(),
      resource_version: 1,
      scope: { providers: {}, routes: {}, sandboxes: {} },
    };
  });
  out(`✓ Created workspace ${name}`);
}

export async function get(p: Parsed): Promise<void> {
  const ctx = await ctxOf(p);
  const name = p.positionals.name as string;
  const hit = all(ctx.endpoint).find(([n]) => n === name);
  if (!hit) throw grpcError('NotFound', 'workspace not found');
  const w = hit[1];
  out(`Workspace:\n\n  Name: ${name}`);
  if (w) {
    out(`  Id: ${w.id}\n  Resource version: ${w.resource_version}`);
    out(`  Created: ${formatEpochMs(w.created_at_ms)}`);
    const labels = Object.entries(w.labels).map(([k, v]) => `${k}=${v}`);
    if (labels.length) out(`  Labels: ${labels.join(', ')}`);
  }
}

export async function list(p: Parsed): Promise<void> {
  const ctx = await ctxOf(p);
  const offset = Number(p.flags.offset);
  const rows = all(ctx.endpoint).slice(offset, offset + Number(p.flags.limit));
  if (p.flags.output !== 'table') {
    json(
      rows.map(([name, w]) => ({
        name,
        id: w?.id ?? 'default',
        resource_version: w?.resource_version ?? 0,
        ...(w ? { created_at: formatEpochMs(w.created_at_ms) } : {}),
        ...(w && Object.keys(w.labels).length ? { labels: w.labels } : {}),
      })),
    );
    return;
  }
  if (rows.length === 0) {
    out('No workspaces found.');
    return;
  }
  const nw = Math.max(4, ...rows.map(([n]) => n.length));
  out(`${pad('NAME', nw)}  ${pad('STATUS', 12)}  ${pad('CREATED', 20)}  LABELS`);
  for (const [name, w] of rows) {
    const created = w ? formatEpochMs(w.created_at_ms) : '';
    const labels = Object.entries(w?.labels ?? {}).map(([k, v]) => `${k}=${v}`);
    out(`${pad(name, nw)}  ${pad('Active', 12)}  ${pad(created, 20)}  ${labels.join(', ')}`);
  }
}

/** A workspace that still holds sandboxes, providers or policies is refused; routes go with it. */
export async function remove(p: Parsed): Promise<void> {
  const ctx = await ctxOf(p);
  for (const name of p.positionals.names as string[]) {
    if (name === 'default') {
      throw grpcError('FailedPrecondition', 'the default workspace cannot be deleted');
    }
    update((s) => {
      const gw = gatewayServer(s, ctx.endpoint);
      const w = gw.workspaces?.[name];
      if (!w) throw grpcError('NotFound', `workspace '${name}' not found`);
      const blocking = [
        Object.keys(w.scope.sandboxes).length ? 'sandbox' : '',
        Object.keys(w.scope.providers).length ? 'provider' : '',
      ].filter(Boolean);
      if (blocking.length) {
        throw grpcError(
          'FailedPrecondition',
          `workspace '${name}' still contains resources: ${blocking.join(', ')}`,
        );
      }
      delete gw.workspaces![name];
    });
    out(`✓ Deleted workspace ${name}`);
  }
}
