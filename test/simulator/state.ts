/**
 * Simulator state: one JSON file in $OPENSHELL_SIM_STATE, changed under a directory lock so that
 * concurrent simulator processes (a create still waiting for Ready while a list runs) stay
 * consistent. Writes go to a temp file and are renamed into place.
 *
 * Server-side state (providers, inference routes, sandboxes) is keyed by gateway endpoint, as a
 * real gateway would hold it; registrations and forwards are client-side, as in ~/.config/openshell.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimError } from './io.ts';

export interface GatewayRec {
  name: string;
  endpoint: string;
  type: 'local' | 'remote' | 'cloud';
  auth: string;
  is_remote: boolean;
  remote_host: string | null;
}

export interface ProviderRec {
  id: string;
  name: string;
  type: string;
  credential_keys: string[];
  /** sha256 prefixes of the values, so tests can tell a value arrived without storing it. */
  credential_fingerprints: Record<string, string>;
  config: Record<string, string>;
  created_at_ms: number;
  resource_version: number;
}

export interface RouteRec {
  provider: string;
  model: string;
  version: number;
  timeout_secs: number;
}

export interface PolicyRevisionRec {
  version: number;
  hash: string;
  created_at_ms: number;
  /** When the sandbox "loads" it; status is Pending until then. */
  load_at_ms: number;
  outcome: 'loaded' | 'failed' | 'pending';
  load_error: string;
  policy: Record<string, unknown>;
}

export interface SandboxLogRec {
  ts: number;
  level: string;
  target: string;
  message: string;
  fields?: Record<string, string>;
}

export interface SandboxRec {
  id: string;
  name: string;
  workspace: string;
  labels: Record<string, string>;
  image: string;
  command: string[];
  env: Record<string, string>;
  providers: string[];
  gpu: number | null;
  created_at_ms: number;
  ready_at_ms: number;
  resource_version: number;
  /** True when a container backs it (Docker was on at create). */
  backed: boolean;
  container_id: string | null;
  /** Set when provisioning failed; the phase is Error from then on. */
  error: string | null;
  stopped: boolean;
  /** Restarted by the gateway's startup pass (gateway-startup.ts): Starting until then. */
  starting_until_ms?: number;
  policy_revisions: PolicyRevisionRec[];
  config_revision: number;
  events: SandboxLogRec[];
}

export interface ServerState {
  providers: Record<string, ProviderRec>;
  routes: Record<string, RouteRec>;
  sandboxes: Record<string, SandboxRec>;
  /** Workspaces other than `default` (which is this record itself): see workspaces.ts. */
  workspaces?: Record<string, WorkspaceRec>;
}

export interface WorkspaceRec {
  id: string;
  labels: Record<string, string>;
  created_at_ms: number;
  resource_version: number;
  scope: ServerState;
}

export interface ForwardRec {
  sandbox: string;
  bind: string;
  port: number;
  pid: number;
  /** A relay process moves its bytes (test/simulator/forward-relay.ts); absent: a state entry only. */
  relay?: boolean;
}

export interface SimState {
  gateways: Record<string, GatewayRec>;
  active_gateway: string | null;
  servers: Record<string, ServerState>;
  forwards: ForwardRec[];
  last_sandbox: Record<string, string>;
  calls: Record<string, number>;
}

function empty(): SimState {
  return {
    gateways: {},
    active_gateway: null,
    servers: {},
    forwards: [],
    last_sandbox: {},
    calls: {},
  };
}

export function stateDir(): string {
  const dir = process.env.OPENSHELL_SIM_STATE;
  if (!dir) {
    throw new Error('OPENSHELL_SIM_STATE is not set: the simulator needs a state folder');
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const file = (dir: string) => join(dir, 'state.json');

export function readState(): SimState {
  try {
    return { ...empty(), ...(JSON.parse(readFileSync(file(stateDir()), 'utf8')) as SimState) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return empty();
    throw e;
  }
}

function writeState(dir: string, s: SimState): void {
  const tmp = `${file(dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(s, null, 1));
  renameSync(tmp, file(dir));
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Runs fn on the current state under the lock and saves what it leaves. */
export function update<T>(fn: (s: SimState) => T): T {
  const dir = stateDir();
  const lock = join(dir, 'state.lock');
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock older than 30 s belongs to a killed process.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 30_000) rmSync(lock, { recursive: true });
      } catch {
        // raced with its owner; retry
      }
      if (Date.now() > deadline)
        throw new Error(`simulator state lock busy: ${lock}`, { cause: e });
      sleepSync(5);
    }
  }
  try {
    const s = readState();
    const out = fn(s);
    writeState(dir, s);
    return out;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

let currentWorkspace = 'default';

/** The workspace this process's commands target (main.ts sets it from --workspace). */
export function setWorkspace(name: string): void {
  currentWorkspace = name || 'default';
}

export function workspaceName(): string {
  return currentWorkspace;
}

/** The gateway's `default` workspace: the record itself, as before workspaces existed. */
export function gatewayServer(s: SimState, endpoint: string): ServerState {
  return (s.servers[endpoint] ??= { providers: {}, routes: {}, sandboxes: {} });
}

/**
 * The resources of the targeted workspace on that gateway. An unknown workspace is NotFound, as
 * v0.0.111 crates/openshell-server/src/grpc/workspace.rs resolve_workspace refuses it.
 */
export function server(s: SimState, endpoint: string): ServerState {
  const gw = gatewayServer(s, endpoint);
  if (currentWorkspace === 'default') return gw;
  const ws = gw.workspaces?.[currentWorkspace];
  if (!ws) {
    throw new SimError(
      `status: NotFound, message: "workspace '${currentWorkspace}' not found", details: [], metadata: MetadataMap { headers: {} }`,
    );
  }
  return ws.scope;
}

/** Every workspace's resources on every gateway, for lookups by sandbox id. */
export function allScopes(s: SimState): [string, ServerState][] {
  return Object.entries(s.servers).flatMap(([endpoint, gw]) => [
    [endpoint, gw] as [string, ServerState],
    ...Object.values(gw.workspaces ?? {}).map((w) => [endpoint, w.scope] as [string, ServerState]),
  ]);
}
