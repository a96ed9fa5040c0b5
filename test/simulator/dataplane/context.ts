/**
 * What the proxy knows about a connection: which sandbox it came from (by its address on the
 * data-plane network, read from the Docker Engine), the sandbox's live policy, its attached
 * providers' credential values, and where a simulated host really lives.
 */
import type Docker from 'dockerode';
import { allScopes, readState } from '../state.ts';
import type { SandboxRec, ServerState } from '../state.ts';
import type { NetworkPolicy } from './rules.ts';
import { credentialsOf } from './secrets.ts';

export interface SandboxCtx {
  rec: SandboxRec;
  endpoint: string;
  srv: ServerState;
  /** Host pid of the container's init (for /proc attribution), 0 when unknown. */
  nsPid: number;
}

interface Known {
  id: string;
  containerId: string;
  nsPid: number;
}

export class Sandboxes {
  private byIp = new Map<string, Known>();
  private docker: Docker;
  private network: string;
  constructor(docker: Docker, network: string) {
    this.docker = docker;
    this.network = network;
  }

  private async refresh(): Promise<void> {
    const list = await this.docker.listContainers({
      filters: JSON.stringify({ network: [this.network] }),
    });
    const next = new Map<string, Known>();
    for (const c of list) {
      const ip = c.NetworkSettings?.Networks?.[this.network]?.IPAddress;
      const id = c.Labels?.['openshell.ai/sandbox-id'];
      if (!ip || !id) continue;
      const old = this.byIp.get(ip);
      let nsPid = old?.containerId === c.Id ? old.nsPid : 0;
      if (!nsPid) {
        nsPid = (await this.docker.getContainer(c.Id).inspect()).State?.Pid ?? 0;
      }
      next.set(ip, { id, containerId: c.Id, nsPid });
    }
    this.byIp = next;
  }

  /** The sandbox behind a peer address, or undefined for a stranger. */
  async lookup(ip: string): Promise<SandboxCtx | undefined> {
    const plain = ip.replace(/^::ffff:/, '');
    let k = this.byIp.get(plain);
    const find = (id: string) => {
      const s = readState();
      for (const [endpoint, srv] of allScopes(s)) {
        const rec = Object.values(srv.sandboxes).find((r) => r.id === id);
        if (rec) return { rec, endpoint, srv };
      }
      return undefined;
    };
    let hit = k ? find(k.id) : undefined;
    if (!hit) {
      await this.refresh();
      k = this.byIp.get(plain);
      hit = k ? find(k.id) : undefined;
    }
    return hit && k ? { ...hit, nsPid: k.nsPid } : undefined;
  }
}

/** The newest revision the sandbox has loaded (status Loaded and its load time passed). */
export function livePolicies(rec: SandboxRec): Record<string, NetworkPolicy> {
  const now = Date.now();
  const live = rec.policy_revisions
    .filter((r) => r.outcome === 'loaded' && r.load_at_ms <= now)
    .at(-1);
  return ((live?.policy as { network_policies?: Record<string, NetworkPolicy> } | undefined)
    ?.network_policies ?? {}) as Record<string, NetworkPolicy>;
}

/** Credential values of every provider attached to the sandbox, by key. */
export function attachedCredentials(stateDir: string, c: SandboxCtx): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of c.rec.providers) {
    Object.assign(values, credentialsOf(stateDir, c.endpoint, c.rec.workspace, p));
  }
  return values;
}

/**
 * OPENSHELL_SIM_HOSTS: `host:port=URL` pairs, comma-separated: the simulated internet. A request
 * for `host:port` goes to URL (e.g. a loopback test server `http://127.0.0.1:41234`); other
 * hosts are dialled as they are (this machine has no route out, so they fail with 502).
 */
export function hostMap(env = process.env.OPENSHELL_SIM_HOSTS): Map<string, URL> {
  const m = new Map<string, URL>();
  for (const item of (env ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq > 0) m.set(item.slice(0, eq).toLowerCase(), new URL(item.slice(eq + 1)));
  }
  return m;
}
