/** Port settings: defaults, overrides from flags and env, and their validation. Pure. */
import { NemoclawError } from './errors.ts';

export const DEFAULT_GATEWAY_PORT = 8080;
export const DEFAULT_DASHBOARD_PORT = 18789;

/** Parses a port from a flag or env value; undefined input gives the default. */
export function parsePort(
  value: string | number | undefined,
  name: string,
  fallback: number,
): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < 1024 || n > 65535) {
    throw new NemoclawError(
      'invalid',
      `${name} must be a port number from 1024 to 65535, not "${value}".`,
      {
        hint: `Set ${name} to a free port, e.g. ${fallback}.`,
      },
    );
  }
  return n;
}

export interface PortChoice {
  gatewayPort: number;
  dashboardPort: number;
}

/** Flags win over env (product.md §8); the two ports must differ. */
export function resolvePorts(
  flags: { gatewayPort?: string | number; dashboardPort?: string | number },
  env: Record<string, string | undefined>,
  dashboardDefault = DEFAULT_DASHBOARD_PORT,
): PortChoice {
  const gatewayPort = parsePort(
    flags.gatewayPort ?? env.NEMOCLAW_GATEWAY_PORT,
    flags.gatewayPort !== undefined ? '--gateway-port' : 'NEMOCLAW_GATEWAY_PORT',
    DEFAULT_GATEWAY_PORT,
  );
  const dashboardPort = parsePort(
    flags.dashboardPort ?? env.NEMOCLAW_DASHBOARD_PORT,
    flags.dashboardPort !== undefined ? '--dashboard-port' : 'NEMOCLAW_DASHBOARD_PORT',
    dashboardDefault,
  );
  if (gatewayPort === dashboardPort) {
    throw new NemoclawError('invalid', `The gateway and dashboard ports are both ${gatewayPort}.`, {
      hint: 'Choose two different ports (NEMOCLAW_GATEWAY_PORT, NEMOCLAW_DASHBOARD_PORT).',
    });
  }
  return { gatewayPort, dashboardPort };
}

/** How many ports above the default the dashboard may move to (the reference's 18789–18799). */
export const DASHBOARD_PORT_SPAN = 10;

/**
 * The dashboard port for a sandbox when the user did not choose one: the sandbox's own recorded
 * port if it has one, else the first port from the default up that no other sandbox records and
 * nothing on this host holds (`busy`). Undefined when every candidate is taken.
 */
export function chooseDashboardPort(o: {
  defaultPort: number;
  ownPort?: number;
  recordedByOthers: Iterable<number>;
  busy: Iterable<number>;
  avoid?: number;
}): number | undefined {
  if (o.ownPort !== undefined) return o.ownPort;
  const taken = new Set([...o.recordedByOthers, ...o.busy]);
  if (o.avoid !== undefined) taken.add(o.avoid);
  for (let p = o.defaultPort; p <= o.defaultPort + DASHBOARD_PORT_SPAN; p++) {
    if (!taken.has(p)) return p;
  }
  return undefined;
}

/** The dashboard as the user opens it: a wildcard bind is reached on loopback. */
export function dashboardUrl(port: number, bind?: string): string {
  const b = bind?.trim() || '127.0.0.1';
  const host = b === '0.0.0.0' || b === '::' ? '127.0.0.1' : b.includes(':') ? `[${b}]` : b;
  return `http://${host}:${port}/`;
}
