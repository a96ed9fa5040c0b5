/**
 * A small in-test stand-in for the OpenShell CLI's gateway commands: registrations in memory, and
 * `status` Connected iff an HTTP GET to the active gateway's URL answers (as the simulator does).
 */
import type {
  GatewayListEntry,
  GatewayStatus,
  OpenshellClient,
} from '../../src/adapters/openshell/types.ts';

type GatewayClient = Pick<
  OpenshellClient,
  'status' | 'gatewayAdd' | 'gatewaySelect' | 'gatewayList' | 'gatewayRemove'
>;

export interface FakeGatewayClient extends GatewayClient {
  calls: string[];
  gateways: Map<string, { url: string; local: boolean }>;
  active: string | undefined;
}

export function fakeGatewayClient(): FakeGatewayClient {
  const gateways = new Map<string, { url: string; local: boolean }>();
  const self: FakeGatewayClient = {
    calls: [],
    gateways,
    active: undefined,
    async status(): Promise<GatewayStatus> {
      const g = self.active ? gateways.get(self.active) : undefined;
      if (!g) return { status: 'not_configured' };
      try {
        const r = await fetch(g.url, { signal: AbortSignal.timeout(1000) });
        await r.body?.cancel();
        return { status: 'connected', gateway: self.active, server: g.url, version: '0.0.111' };
      } catch (e) {
        return { status: 'disconnected', gateway: self.active, server: g.url, error: String(e) };
      }
    },
    async gatewayAdd(url, o) {
      self.calls.push(`gateway add ${url}${o.local ? ' --local' : ''} --name ${o.name}`);
      gateways.set(o.name, { url, local: !!o.local });
      self.active = o.name;
    },
    async gatewaySelect(name) {
      self.calls.push(`gateway select ${name}`);
      self.active = name;
    },
    async gatewayRemove(name) {
      self.calls.push(`gateway remove ${name}`);
      gateways.delete(name);
      if (self.active === name) self.active = undefined;
    },
    async gatewayList(): Promise<GatewayListEntry[]> {
      return [...gateways].map(([name, g]) => ({
        name,
        endpoint: g.url,
        type: g.local ? 'local' : 'remote',
        source: 'user',
        auth: 'none',
        active: name === self.active,
        is_remote: !g.local,
      }));
    },
  };
  return self;
}
