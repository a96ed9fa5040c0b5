import { describe, expect, it } from 'vitest';
import type { Blueprint } from '../../src/core/blueprint/schema.ts';
import {
  gatewayContainerSpec,
  gatewaySettings,
  planGateway,
  type GatewayObservation,
} from '../../src/core/gateway-plan.ts';
import { formatPlan } from '../../src/core/plan.ts';
import { gatewayMode, validateGatewayUrl } from '../../src/usecases/gateway.ts';

const bp = {
  openshell: {
    gateway_image: 'ghcr.io/nvidia/openshell/gateway:0.0.111',
    supervisor_image: 'ghcr.io/nvidia/openshell/supervisor:0.0.111',
    supervisor_binary_path: '/usr/local/bin/openshell-sandbox',
  },
} as unknown as Blueprint;

const s = gatewaySettings(
  bp,
  {},
  { port: 8080, supervisorDir: '/home/u/.nemoclaw/openshell/supervisor', socketGid: 998 },
);
const ours = { 'ai.nvidia.nemoclaw.managed-by': 'nemoclaw' };
const running = {
  id: 'c1',
  running: true,
  status: 'running',
  image: s.gatewayImage,
  labels: ours,
  hostPort: '8080',
};
const registered = { endpoint: 'http://127.0.0.1:8080', active: true };
const healthy: GatewayObservation = {
  container: running,
  volumeExists: true,
  supervisorCurrent: true,
  registered,
  healthy: true,
};
const kinds = (o: GatewayObservation, recreate = false) =>
  planGateway(s, o, { recreate }).steps.map((x) => x.kind);

describe('gateway settings and container', () => {
  it('defaults and overrides', () => {
    expect(s).toMatchObject({
      name: 'nemoclaw',
      containerName: 'nemoclaw-openshell-gateway',
      volumeName: 'nemoclaw-openshell-state',
      url: 'http://127.0.0.1:8080',
      supervisorHostPath: '/home/u/.nemoclaw/openshell/supervisor/openshell-sandbox',
    });
    const o = gatewaySettings(
      bp,
      {
        NEMOCLAW_GATEWAY_IMAGE: 'gw:x',
        NEMOCLAW_SUPERVISOR_IMAGE: 'sup:x',
        NEMOCLAW_GATEWAY_CONTAINER: 'c',
        NEMOCLAW_GATEWAY_VOLUME: 'v',
      },
      { port: 9000, supervisorDir: '/s/' },
    );
    expect(o).toMatchObject({
      gatewayImage: 'gw:x',
      supervisorImage: 'sup:x',
      containerName: 'c',
      volumeName: 'v',
      supervisorHostPath: '/s/openshell-sandbox',
    });
  });

  it('is the container the guide describes, on loopback only', () => {
    const spec = gatewayContainerSpec(s);
    expect(spec.HostConfig.RestartPolicy).toEqual({ Name: 'unless-stopped' });
    expect(spec.HostConfig.PortBindings).toEqual({
      '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
    });
    expect(spec.HostConfig.GroupAdd).toEqual(['998']);
    expect(spec.HostConfig.Binds).toContain(`${s.supervisorHostPath}:${s.supervisorHostPath}:ro`);
    expect(spec.Env).toContain('OPENSHELL_DISABLE_TLS=true');
  });
});

describe('gateway plan', () => {
  it('from nothing', () => {
    expect(
      formatPlan(planGateway(s, { volumeExists: false, supervisorCurrent: false, healthy: false })),
    ).toMatchInlineSnapshot(`
      "Plan: OpenShell gateway nemoclaw (nemoclaw-openshell-gateway on http://127.0.0.1:8080)
        1. supervisor.copy /home/u/.nemoclaw/openshell/supervisor/openshell-sandbox
           why: the sandbox supervisor binary is not on the host yet (from ghcr.io/nvidia/openshell/supervisor:0.0.111)
           image: ghcr.io/nvidia/openshell/supervisor:0.0.111
           path: /usr/local/bin/openshell-sandbox
        2. image.ensure ghcr.io/nvidia/openshell/gateway:0.0.111
           why: the gateway container needs its image
        3. volume.create nemoclaw-openshell-state
           why: the gateway keeps its database and secrets there
        4. container.create nemoclaw-openshell-gateway
           why: no gateway container exists
           image: ghcr.io/nvidia/openshell/gateway:0.0.111
           port: 8080
        5. container.start nemoclaw-openshell-gateway
           why: start the new gateway
        6. openshell.gateway.add nemoclaw
           why: register the gateway with the OpenShell CLI
           url: http://127.0.0.1:8080
           local: true
        7. gateway.wait nemoclaw
           why: wait until \`openshell status\` says Connected"
    `);
  });

  it('healthy: nothing to do', () => {
    expect(kinds(healthy)).toEqual([]);
  });

  it('stopped: start; unhealthy: restart; never create', () => {
    expect(
      kinds({
        ...healthy,
        container: { ...running, running: false, status: 'exited' },
        healthy: false,
      }),
    ).toEqual(['container.start', 'gateway.wait']);
    expect(kinds({ ...healthy, healthy: false })).toEqual(['container.restart', 'gateway.wait']);
  });

  it('registration: add, select, or re-point', () => {
    expect(kinds({ ...healthy, registered: undefined, healthy: false })).toEqual([
      'openshell.gateway.add',
      'gateway.wait',
    ]);
    expect(
      kinds({ ...healthy, registered: { ...registered, active: false }, healthy: false }),
    ).toEqual(['openshell.gateway.select', 'gateway.wait']);
    expect(
      kinds({
        ...healthy,
        registered: { endpoint: 'https://k8s.example', active: true },
        healthy: false,
      }),
    ).toEqual(['openshell.gateway.remove', 'openshell.gateway.add', 'gateway.wait']);
  });

  it('a changed image or port is refused unless recreate, which keeps the volume', () => {
    const drifted = { ...healthy, container: { ...running, image: 'old:1' } };
    expect(() => kinds(drifted)).toThrow(/runs with image old:1/);
    expect(kinds(drifted, true)).toEqual([
      'image.ensure',
      'container.remove',
      'container.create',
      'container.start',
      'gateway.wait',
    ]);
  });

  it('refuses a same-named container nemoclaw did not make', () => {
    expect(() => kinds({ ...healthy, container: { ...running, labels: {} } })).toThrow(
      /did not create it/,
    );
  });
});

describe('remote gateway URL', () => {
  it('validates and warns about plaintext off-host', () => {
    expect(validateGatewayUrl('https://openshell.example.com/')).toEqual({
      url: 'https://openshell.example.com',
      warnings: [],
    });
    expect(validateGatewayUrl('http://10.0.0.9:8080').warnings[0]).toMatch(/plaintext/);
    expect(validateGatewayUrl('http://127.0.0.1:8080').warnings).toEqual([]);
    expect(() => validateGatewayUrl('grpc://x')).toThrow(/http or https/);
    expect(() => validateGatewayUrl('https://u:p@x')).toThrow(/credentials/);
    expect(() => validateGatewayUrl('nope')).toThrow(/not a URL/);
  });
  it('flag wins over env', () => {
    expect(gatewayMode({}, {})).toEqual({ mode: 'local' });
    expect(gatewayMode({}, { NEMOCLAW_GATEWAY_URL: 'https://a' })).toEqual({
      mode: 'remote',
      url: 'https://a',
    });
    expect(gatewayMode({ gatewayUrl: 'https://b' }, { NEMOCLAW_GATEWAY_URL: 'https://a' })).toEqual(
      { mode: 'remote', url: 'https://b' },
    );
  });
});
