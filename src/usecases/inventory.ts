/**
 * The registry joined with what OpenShell reports: per gateway one `status` and one
 * `sandbox list -o json`, in parallel. Shared by `list` and `status`. A gateway that does not answer
 * leaves its sandboxes' phases unknown (null), never guessed.
 */
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Registry } from '../core/registry/schema.ts';

export interface GatewayHealth {
  name: string;
  up: boolean;
  /** OpenShell's word (connected, disconnected, …) or `unreachable` when the call failed. */
  status: string;
  version?: string;
  error?: string;
}

export interface Inventory {
  gateways: GatewayHealth[];
  /** name → phase; null: OpenShell does not know it; undefined: could not ask. */
  phases: Map<string, string | null | undefined>;
  /** Sandboxes OpenShell has that the registry does not. */
  untracked: string[];
}

const CONNECTED = new Set(['connected', 'connected_http']);

/**
 * With `probeStatus` false (list) only `sandbox list` is asked: it fails with Unavailable when the
 * gateway does not answer, so its outcome is the gateway's health — one process instead of two on
 * a command with a startup budget.
 */
export async function takeInventory(
  reg: Registry,
  clientFor: (gateway: string) => Promise<Pick<OpenshellClient, 'status' | 'sandboxList'>>,
  o: { probeStatus?: boolean } = {},
): Promise<Inventory> {
  const byGateway = new Map<string, string[]>();
  for (const e of Object.values(reg.sandboxes)) {
    byGateway.set(e.gatewayName, [...(byGateway.get(e.gatewayName) ?? []), e.name]);
  }
  const phases = new Map<string, string | null | undefined>();
  const untracked: string[] = [];
  const gateways = await Promise.all(
    [...byGateway.entries()].map(async ([gw, names]): Promise<GatewayHealth> => {
      const client = await clientFor(gw);
      const probe = o.probeStatus !== false;
      const [st, list] = await Promise.allSettled([
        probe ? client.status() : Promise.resolve(undefined),
        client.sandboxList({ allWorkspaces: true }),
      ]);
      const health: GatewayHealth = !probe
        ? list.status === 'fulfilled'
          ? { name: gw, up: true, status: 'connected' }
          : { name: gw, up: false, status: 'unreachable', error: (list.reason as Error).message }
        : st.status === 'fulfilled' && st.value
          ? {
              name: gw,
              up: CONNECTED.has(st.value.status),
              status: st.value.status,
              version: st.value.version,
              error: st.value.error,
            }
          : {
              name: gw,
              up: false,
              status: 'unreachable',
              error: st.status === 'rejected' ? (st.reason as Error).message : undefined,
            };
      if (health.up && list.status === 'fulfilled') {
        const seen = new Map(list.value.map((s) => [s.name, s.phase]));
        for (const n of names) phases.set(n, seen.get(n) ?? null);
        for (const s of list.value) if (!names.includes(s.name)) untracked.push(s.name);
      } else {
        for (const n of names) phases.set(n, undefined);
      }
      return health;
    }),
  );
  return { gateways, phases, untracked: untracked.sort() };
}

export function phaseText(p: string | null | undefined): string {
  if (p === null) return 'missing (OpenShell does not know it)';
  if (p === undefined) return 'unknown (gateway unreachable)';
  return p;
}
