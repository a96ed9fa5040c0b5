/** Shared sandbox helpers: context, name resolution, the phase a record is in, its JSON view. */
import type { Parsed } from '../args.ts';
import { containerStates, dockerEnabled } from '../docker.ts';
import { SimError, err, formatEpochMs, grpcError } from '../io.ts';
import { policyHash } from '../policy.ts';
import type { PolicyRevisionRec, SandboxRec, ServerState, SimState } from '../state.ts';
import { readState, server } from '../state.ts';
import type { GatewayContext } from './gateway.ts';
import { requireReachable, resolveGateway } from './gateway.ts';
import { reviveAfterGatewayStart } from '../gateway-startup.ts';

export async function serverContext(
  p: Parsed,
): Promise<{ ctx: GatewayContext; state: SimState; srv: ServerState }> {
  let state = readState();
  const ctx = resolveGateway(p, state);
  await requireReachable(ctx);
  // The gateway's startup pass over sandboxes it stopped while it was down (gateway-startup.ts).
  if (await reviveAfterGatewayStart(ctx.endpoint, server(state, ctx.endpoint))) state = readState();
  return { ctx, state, srv: server(state, ctx.endpoint) };
}

/** An omitted sandbox name means the last-used one, with a hint on stderr. */
export function sandboxName(
  given: string | undefined,
  state: SimState,
  ctx: GatewayContext,
): string {
  if (given) return given;
  const last = state.last_sandbox[ctx.name];
  if (!last) {
    throw new SimError(
      'No sandbox name given and no last-used sandbox.\nPass a name: openshell sandbox list',
    );
  }
  err(`→ Using sandbox '${last}' (last used)`);
  return last;
}

export function findSandbox(srv: ServerState, name: string): SandboxRec {
  const rec = srv.sandboxes[name];
  if (!rec) throw grpcError('NotFound', `sandbox '${name}' not found`);
  return rec;
}

export interface PhaseView {
  phase: string;
  reason: string;
}

/** Phases are derived on read from the record, the clock and the container's state. */
export async function phases(recs: SandboxRec[]): Promise<Map<string, PhaseView>> {
  const needDocker = recs.some((r) => r.backed) && (await dockerEnabled());
  const states = needDocker ? await containerStates() : new Map();
  const now = Date.now();
  const result = new Map<string, PhaseView>();
  for (const r of recs) {
    let view: PhaseView;
    if (r.error) view = { phase: 'Error', reason: r.error };
    else if (r.stopped) view = { phase: 'Stopped', reason: '' };
    else if (r.container_id && needDocker) {
      const st = states.get(r.container_id);
      if (!st) view = { phase: 'Error', reason: 'sandbox container is gone' };
      else if (!st.running) {
        view = { phase: 'Error', reason: `main process exited with code ${st.exitCode}` };
      } else if (r.starting_until_ms !== undefined && now < r.starting_until_ms) {
        view = { phase: 'Starting', reason: 'restarted by the gateway at its startup' };
      } else view = { phase: now >= r.ready_at_ms ? 'Ready' : 'Provisioning', reason: '' };
    } else if (r.backed && r.container_id === null && needDocker) {
      view = { phase: 'Provisioning', reason: '' }; // its container is still being made
    } else view = { phase: now >= r.ready_at_ms ? 'Ready' : 'Provisioning', reason: '' };
    result.set(r.name, view);
  }
  return result;
}

export function currentPolicyVersion(r: SandboxRec): number {
  return r.policy_revisions.at(-1)?.version ?? 0;
}

export function sandboxJson(r: SandboxRec, phase: string): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    workspace: r.workspace,
    labels: r.labels,
    annotations: {},
    resource_version: r.resource_version,
    created_at: formatEpochMs(r.created_at_ms),
    phase,
    current_policy_version: currentPolicyVersion(r),
  };
}

/**
 * Appends a policy revision unless the newest has the same hash (`policy set`, an approved or
 * rejected draft chunk); the config and resource versions move with it.
 */
export function pushRevision(
  r: SandboxRec,
  policy: Record<string, unknown>,
  o: { delayMs?: number; outcome?: PolicyRevisionRec['outcome'] } = {},
): { version: number; hash: string; changed: boolean } {
  const hash = policyHash(policy);
  const current = r.policy_revisions.at(-1)!;
  if (current.hash === hash) return { version: current.version, hash, changed: false };
  const now = Date.now();
  const version = current.version + 1;
  const outcome = o.outcome ?? 'loaded';
  r.policy_revisions.push({
    version,
    hash,
    created_at_ms: now,
    load_at_ms: now + (o.delayMs ?? 0),
    outcome,
    load_error: outcome === 'failed' ? 'simulated load failure (OPENSHELL_SIM_POLICY_LOAD)' : '',
    policy,
  });
  r.config_revision++;
  r.resource_version++;
  return { version, hash, changed: true };
}

export function pushEvent(r: SandboxRec, message: string, fields?: Record<string, string>): void {
  r.events.push({
    ts: Date.now(),
    level: 'INFO',
    target: 'openshell_server',
    message,
    fields,
  });
}

/** Polls until the sandbox is Ready; Error or the provision timeout end it with exit 1. */
export async function waitReady(endpoint: string, name: string, what: string): Promise<void> {
  const timeoutMs = Number(process.env.OPENSHELL_PROVISION_TIMEOUT ?? 300) * 1000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rec = server(readState(), endpoint).sandboxes[name];
    if (!rec) throw new SimError(`sandbox '${name}' disappeared while ${what}`);
    const view = (await phases([rec])).get(name)!;
    if (view.phase === 'Ready') return;
    if (view.phase === 'Error') {
      throw new SimError(`sandbox entered error phase while ${what}: ${view.reason}`);
    }
    if (Date.now() > deadline) {
      throw new SimError(`timed out after ${timeoutMs / 1000}s waiting for sandbox to be Ready`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
