/** `gateway add|select|info|list|remove` and `status` (cli/commands/gateway.rs). */
import type { Parsed } from '../args.ts';
import { SimError, err, grpcError, json, out, pad } from '../io.ts';
import type { GatewayRec, SimState } from '../state.ts';
import { readState, update } from '../state.ts';

export const SIM_VERSION = () => process.env.OPENSHELL_SIM_VERSION ?? '0.0.111';
const GATEWAY_VERSION = () => process.env.OPENSHELL_SIM_GATEWAY_VERSION ?? SIM_VERSION();

export interface GatewayContext {
  name: string;
  endpoint: string;
}

/** Resolution order: --gateway-endpoint, -g, $OPENSHELL_GATEWAY, the active gateway. */
export function resolveGateway(p: Parsed, s: SimState): GatewayContext {
  const flag = p.global.gateway ?? (process.env.OPENSHELL_GATEWAY?.trim() || undefined);
  const endpoint = p.global.gatewayEndpoint ?? process.env.OPENSHELL_GATEWAY_ENDPOINT;
  if (endpoint) {
    const byEndpoint = Object.values(s.gateways).find(
      (g) => g.endpoint.replace(/\/+$/, '') === endpoint.replace(/\/+$/, ''),
    );
    return { name: flag ?? byEndpoint?.name ?? endpoint, endpoint };
  }
  const name = flag ?? s.active_gateway ?? undefined;
  if (!name) {
    throw new SimError(
      'No active gateway.\nSet one with: openshell gateway select <name>\nOr register one with: openshell gateway add <endpoint>',
    );
  }
  const g = s.gateways[name];
  if (!g) {
    throw new SimError(
      `Unknown gateway '${name}'.\nRegister it first: openshell gateway add <endpoint> --name ${name}\nOr list available gateways: openshell gateway select`,
    );
  }
  return { name: g.name, endpoint: g.endpoint };
}

/** HTTP GET <endpoint>/healthz; any HTTP answer counts (the simulator has no gRPC). */
export async function probe(
  endpoint: string,
): Promise<{ ok: boolean; status?: number; error?: string }> {
  const timeoutMs = Number(process.env.OPENSHELL_SIM_PROBE_TIMEOUT_MS ?? 2000);
  // A gateway container the real gateway could not run with is down (gateway-container.ts).
  const { gatewayContainerProblem } = await import('../gateway-container.ts');
  const problem = await gatewayContainerProblem(endpoint);
  if (problem) return { ok: false, error: problem };
  try {
    const res = await fetch(`${endpoint.replace(/\/+$/, '')}/healthz`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return { ok: true, status: res.status };
  } catch (e) {
    const cause = (e as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
    const code = cause?.code ?? cause?.errors?.[0]?.code ?? (e as Error).name;
    return { ok: false, error: `transport error: connection failed (${code})` };
  }
}

/** With OPENSHELL_SIM_REQUIRE_GATEWAY=1, server-side commands fail when the endpoint is down. */
export async function requireReachable(ctx: GatewayContext): Promise<void> {
  if (process.env.OPENSHELL_SIM_REQUIRE_GATEWAY !== '1') return;
  const r = await probe(ctx.endpoint);
  if (!r.ok) {
    throw grpcError(
      'Unavailable',
      `${r.error}`,
      `failed to connect to gateway '${ctx.name}' at ${ctx.endpoint}`,
    );
  }
}

export async function status(p: Parsed): Promise<void> {
  const s = readState();
  let ctx: GatewayContext;
  try {
    ctx = resolveGateway(p, s);
  } catch {
    if (p.flags.output !== 'table') json({ status: 'not_configured' });
    else {
      out('Gateway Status\n\n  Status: No gateway configured.\n');
      out('Register a gateway with: openshell gateway add <endpoint>');
    }
    return;
  }
  const r = await probe(ctx.endpoint);
  const plaintext = ctx.endpoint.startsWith('http://');
  if (p.flags.output !== 'table') {
    const auth = r.ok
      ? { status: 'not_required', mode: 'gateway' }
      : { status: 'unverified', reason: 'gateway unreachable' };
    json({
      gateway: ctx.name,
      server: ctx.endpoint,
      status: r.ok ? 'connected' : 'disconnected',
      authentication: auth,
      ...(r.ok ? { version: GATEWAY_VERSION() } : { error: r.error }),
    });
    return;
  }
  out(`Server Status\n\n  Gateway: ${ctx.name}\n  Server: ${ctx.endpoint}`);
  if (r.ok) {
    out('  Status: Connected');
    out(
      `  Authentication: ${plaintext ? 'Not required (gateway)' : 'Authenticated (mTLS transport)'}`,
    );
    out(`  Version: ${GATEWAY_VERSION()}`);
  } else {
    out(`  Status: Disconnected\n  Error: ${r.error}`);
    out('  Authentication: Unverified (gateway unreachable)');
  }
}

function deriveName(endpoint: string): string {
  try {
    return new URL(endpoint).hostname || 'openshell';
  } catch {
    return 'openshell';
  }
}

export async function add(p: Parsed): Promise<void> {
  const endpoint = p.positionals.endpoint as string;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new SimError(`invalid gateway endpoint '${endpoint}'`);
  }
  if (!['http:', 'https:'].includes(url.protocol)) {
    throw new SimError(
      `unsupported gateway endpoint scheme '${url.protocol}' (simulated: http, https)`,
    );
  }
  if (url.protocol === 'https:' && !p.flags.local && !p.flags.remote) {
    throw new SimError('edge (browser) authentication is not simulated; use http:// or --local');
  }
  const name = (p.flags.name as string | undefined) ?? deriveName(endpoint);
  const remote = p.flags.remote as string | undefined;
  // commands/gateway.rs plaintext_gateway_is_remote: --local wins, then --remote, then a
  // non-loopback endpoint is remote.
  const isRemote = p.flags.local
    ? false
    : Boolean(remote) || !(await import('../remote-image.ts')).isLoopbackEndpoint(endpoint);
  const rec: GatewayRec = {
    name,
    endpoint: endpoint.replace(/\/+$/, ''),
    type: isRemote ? 'remote' : 'local',
    auth: url.protocol === 'http:' ? 'plaintext' : 'mtls',
    is_remote: isRemote,
    remote_host: remote ?? null,
  };
  update((s) => {
    s.gateways[name] = rec;
    s.active_gateway = name;
  });
  if (!(await probe(rec.endpoint)).ok) {
    err(`⚠ Gateway is not reachable at ${rec.endpoint}`);
    err('  Verify the gateway is running and the endpoint is correct.');
  }
  err(`✓ Gateway '${name}' added and set as active`);
  err(`  Endpoint: ${rec.endpoint}\n  Type: ${rec.type}\n  Auth: ${rec.auth}`);
}

export function select(p: Parsed): void {
  const name = p.positionals.name as string | undefined;
  if (!name) {
    // Non-interactive: list instead of prompting.
    list({ ...p, flags: { output: 'table' } });
    return;
  }
  update((s) => {
    if (!s.gateways[name]) {
      throw new SimError(
        `No gateway metadata found for '${name}'.\nRegister it first with: openshell gateway add <endpoint> --name ${name}\nOr list available gateways: openshell gateway select`,
      );
    }
    s.active_gateway = name;
  });
  err(`✓ Active gateway set to '${name}'`);
}

export function remove(p: Parsed): void {
  const s0 = readState();
  const name = (p.positionals.name as string | undefined) ?? p.global.gateway ?? s0.active_gateway;
  if (!name) {
    throw new SimError(
      'No active gateway.\nSpecify a gateway name: openshell gateway remove <name>\nOr list available gateways: openshell gateway select',
    );
  }
  update((s) => {
    if (!s.gateways[name]) {
      throw new SimError(
        `No gateway metadata found for '${name}'.\nList available gateways: openshell gateway select`,
      );
    }
    delete s.gateways[name];
    if (s.active_gateway === name) s.active_gateway = null;
  });
  err(`✓ Gateway registration '${name}' removed.`);
}

export function list(p: Parsed): void {
  const s = readState();
  const active = p.global.gateway ?? s.active_gateway;
  const gateways = Object.values(s.gateways).sort((a, b) => a.name.localeCompare(b.name));
  if (p.flags.output !== 'table') {
    json(
      gateways.map((g) => ({
        name: g.name,
        endpoint: g.endpoint,
        type: g.type,
        source: 'user',
        auth: g.auth,
        active: g.name === active,
        is_remote: g.is_remote,
        remote_host: g.remote_host,
        resolved_host: null,
      })),
    );
    return;
  }
  if (gateways.length === 0) {
    out('No gateways found.\n\nRegister a gateway with: openshell gateway add <endpoint>');
    return;
  }
  const w = (f: (g: GatewayRec) => string, min: number) =>
    Math.max(min, ...gateways.map((g) => f(g).length));
  const [nw, ew, tw] = [w((g) => g.name, 4), w((g) => g.endpoint, 8), w((g) => g.type, 4)];
  out(
    `  ${pad('NAME', nw)}  ${pad('ENDPOINT', ew)}  ${pad('TYPE', tw)}  ${pad('SOURCE', 6)}  AUTH`,
  );
  for (const g of gateways) {
    const mark = g.name === active ? '*' : ' ';
    out(
      `${mark} ${pad(g.name, nw)}  ${pad(g.endpoint, ew)}  ${pad(g.type, tw)}  ${pad('user', 6)}  ${g.auth}`,
    );
  }
}

export async function info(p: Parsed): Promise<void> {
  let ctx: GatewayContext;
  try {
    ctx = resolveGateway(p, readState());
  } catch {
    throw new SimError(
      'No gateway configured.\nRegister a gateway with: openshell gateway add <endpoint>',
    );
  }
  const r = await probe(ctx.endpoint);
  if (!r.ok)
    throw new SimError(`get_gateway_info failed: status: Unavailable, message: "${r.error}"`);
  const drivers = [
    { name: 'docker', capabilities: { driver_name: 'docker', driver_version: 'sim' } },
  ];
  if (p.flags.output !== 'table') {
    json({
      gateway: ctx.name,
      server: ctx.endpoint,
      auth: null,
      status: 'healthy',
      version: GATEWAY_VERSION(),
      compute_drivers: drivers,
    });
    return;
  }
  out(`Gateway Info\n\n  Gateway: ${ctx.name}\n  Server: ${ctx.endpoint}\n  Status: healthy`);
  out(`  Version: ${GATEWAY_VERSION()}\n  Compute drivers:\n    docker\n      Driver version: sim`);
}
