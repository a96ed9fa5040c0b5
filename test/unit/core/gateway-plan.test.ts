import { describe, expect, it } from 'vitest';
import type { Blueprint } from '../../../src/core/blueprint/schema.ts';
import { gatewayDrift, renderGatewayToml } from '../../../src/core/gateway-config.ts';
import {
  gatewayContainerSpec,
  gatewaySettings,
  gatewayShape,
  planGateway,
  type GatewayObservation,
} from '../../../src/core/gateway-plan.ts';
import { formatPlan } from '../../../src/core/plan.ts';

const bp = {
  openshell: {
    gateway_image: 'ghcr.io/nvidia/openshell/gateway:0.0.111',
    supervisor_image: 'ghcr.io/nvidia/openshell/supervisor:0.0.111',
    supervisor_binary_path: '/openshell-sandbox',
  },
} as unknown as Blueprint;

const s = gatewaySettings(
  bp,
  {},
  { port: 8080, supervisorDir: '/home/u/.nemoclaw/openshell/supervisor', socketGid: 998 },
);
const ours = { 'ai.nvidia.nemoclaw.managed-by': 'nemoclaw' };
const spec = gatewayContainerSpec(s, { entrypoint: ['/usr/local/bin/openshell-gateway'] });
/** What the Engine reports for a container made from `spec`. */
const shape = {
  image: spec.Image,
  env: spec.Env,
  user: spec.User,
  cmd: [] as string[],
  binds: spec.HostConfig.Binds,
  extraHosts: spec.HostConfig.ExtraHosts,
  ports: spec.HostConfig.PortBindings,
};
const running = {
  id: 'c1',
  running: true,
  status: 'running',
  image: s.gatewayImage,
  labels: ours,
  shape,
};
/** A container an older nemoclaw made: env settings v0.0.111 ignores, the image's CMD, port 8080 inside. */
const oldStyle = {
  ...shape,
  env: [
    'OPENSHELL_DRIVERS=docker',
    'OPENSHELL_GRPC_ENDPOINT=http://host.openshell.internal:8080',
    'OPENSHELL_DB_URL=sqlite:/var/openshell/openshell.db',
    'OPENSHELL_DOCKER_SUPERVISOR_BIN=/home/u/.nemoclaw/openshell/supervisor/openshell-sandbox',
  ],
  user: '',
  cmd: ['--bind-address', '0.0.0.0', '--port', '8080'],
  binds: ['nemoclaw-openshell-state:/var/openshell', '/var/run/docker.sock:/var/run/docker.sock'],
  extraHosts: [],
  ports: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] },
};
const registered = { endpoint: 'http://127.0.0.1:8080', active: true };
const healthy: GatewayObservation = {
  container: running,
  volumeExists: true,
  supervisorCurrent: true,
  configCurrent: true,
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
      dataDir: '/home/u/.nemoclaw/openshell',
      configHostPath: '/home/u/.nemoclaw/openshell/gateway.toml',
      healthPort: 8081,
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

  it('is the container of the v0.0.111 compose reference, on loopback only', () => {
    expect(spec.User).toBe('0');
    expect(spec.Cmd).toEqual([]);
    expect(spec.Entrypoint).toEqual(['/usr/local/bin/openshell-gateway']);
    expect(spec.HostConfig.RestartPolicy).toEqual({ Name: 'unless-stopped' });
    // The TOML's bind and health ports are the published ones, on 127.0.0.1 only.
    expect(spec.HostConfig.PortBindings).toEqual({
      '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
      '8081/tcp': [{ HostIp: '127.0.0.1', HostPort: '8081' }],
    });
    expect(spec.HostConfig.GroupAdd).toEqual(['998']);
    expect(spec.HostConfig.ExtraHosts).toEqual([
      'host.openshell.internal:host-gateway',
      'host.docker.internal:host-gateway',
    ]);
    expect(spec.HostConfig.Binds).toEqual([
      'nemoclaw-openshell-state:/var/openshell',
      '/var/run/docker.sock:/var/run/docker.sock',
      '/home/u/.nemoclaw/openshell:/home/u/.nemoclaw/openshell',
      '/home/u/.nemoclaw/openshell/gateway.toml:/etc/openshell/gateway.toml:ro',
    ]);
    expect(spec.Env).toEqual([
      'OPENSHELL_GATEWAY_CONFIG=/etc/openshell/gateway.toml',
      'OPENSHELL_DB_URL=sqlite:/var/openshell/openshell.db?mode=rwc',
      'XDG_DATA_HOME=/home/u/.nemoclaw/openshell',
      'HOME=/home/u/.nemoclaw/openshell',
    ]);
  });

  it('writes a gateway.toml with only keys v0.0.111 knows, bind port = published port', () => {
    expect(s.configToml).toBe(
      renderGatewayToml({
        port: 8080,
        healthPort: 8081,
        supervisorBin: s.supervisorHostPath,
      }),
    );
    expect(s.configToml).toContain('bind_address = "0.0.0.0:8080"');
    expect(s.configToml).toContain('health_bind_address = "0.0.0.0:8081"');
    expect(s.configToml).toContain(
      'supervisor_bin = "/home/u/.nemoclaw/openshell/supervisor/openshell-sandbox"',
    );
    expect(s.configToml).toContain('grpc_endpoint = "http://host.openshell.internal:8080"');
    expect(s.configToml).not.toMatch(/database_url/);
    const moved = gatewaySettings(
      bp,
      { NEMOCLAW_GATEWAY_HEALTH_PORT: '9999' },
      {
        port: 9000,
        supervisorDir: '/d/supervisor',
      },
    );
    expect(moved.configToml).toContain('bind_address = "0.0.0.0:9000"');
    expect(moved.configToml).toContain('health_bind_address = "0.0.0.0:9999"');
  });

  it('names every way a container differs from the layout', () => {
    expect(gatewayDrift(gatewayShape(s), shape, 8080)).toEqual([]);
    const old = gatewayDrift(gatewayShape(s), oldStyle, 8080);
    expect(old.every((d) => !d.choice)).toBe(true);
    expect(old.map((d) => d.what).join('; ')).toMatch(
      /published ports.*command.*user.*environment.*v0.0.111 ignores.*mounts.*extra hosts/,
    );
    const moved = gatewayDrift(gatewayShape(s), { ...shape, image: 'other:1' }, 9000);
    expect(moved.filter((d) => d.choice).map((d) => d.what)).toEqual([
      'image other:1 (wanted ghcr.io/nvidia/openshell/gateway:0.0.111)',
      'port 8080 (wanted 9000)',
    ]);
  });
});

describe('gateway plan', () => {
  it('from nothing', () => {
    expect(
      formatPlan(
        planGateway(s, {
          volumeExists: false,
          supervisorCurrent: false,
          configCurrent: false,
          healthy: false,
        }),
      ),
    ).toMatchInlineSnapshot(`
      "Plan: OpenShell gateway nemoclaw (nemoclaw-openshell-gateway on http://127.0.0.1:8080)
        1. docker.supervisor.copy /home/u/.nemoclaw/openshell/supervisor/openshell-sandbox
           why: the sandbox supervisor binary is not on the host yet (from ghcr.io/nvidia/openshell/supervisor:0.0.111)
           image: ghcr.io/nvidia/openshell/supervisor:0.0.111
           path: /openshell-sandbox
        2. file.write /home/u/.nemoclaw/openshell/gateway.toml
           why: the gateway reads its settings from this file
           port: 8080
           healthPort: 8081
        3. docker.image.ensure ghcr.io/nvidia/openshell/gateway:0.0.111
           why: the gateway container needs its image
        4. docker.volume.create nemoclaw-openshell-state
           why: the gateway keeps its database and secrets there
        5. docker.container.create nemoclaw-openshell-gateway
           why: no gateway container exists
           image: ghcr.io/nvidia/openshell/gateway:0.0.111
           port: 8080
        6. docker.container.start nemoclaw-openshell-gateway
           why: start the new gateway
        7. openshell.gateway.add nemoclaw
           why: register the gateway with the OpenShell CLI
           url: http://127.0.0.1:8080
           local: true
        8. openshell.gateway.wait nemoclaw
           why: wait until /readyz answers on port 8081 and \`openshell status\` says Connected"
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
    ).toEqual(['docker.container.start', 'openshell.gateway.wait']);
    expect(kinds({ ...healthy, healthy: false })).toEqual([
      'docker.container.restart',
      'openshell.gateway.wait',
    ]);
  });

  it('registration: add, select, or re-point', () => {
    expect(kinds({ ...healthy, registered: undefined, healthy: false })).toEqual([
      'openshell.gateway.add',
      'openshell.gateway.wait',
    ]);
    expect(
      kinds({ ...healthy, registered: { ...registered, active: false }, healthy: false }),
    ).toEqual(['openshell.gateway.select', 'openshell.gateway.wait']);
    expect(
      kinds({
        ...healthy,
        registered: { endpoint: 'https://k8s.example', active: true },
        healthy: false,
      }),
    ).toEqual(['openshell.gateway.remove', 'openshell.gateway.add', 'openshell.gateway.wait']);
  });

  it('an old-style container is migrated: recreated on the same volume, the TOML written', () => {
    const old = {
      ...healthy,
      configCurrent: false,
      container: { ...running, shape: oldStyle },
    };
    expect(kinds(old)).toEqual([
      'file.write',
      'docker.image.ensure',
      'docker.container.remove',
      'docker.container.create',
      'docker.container.start',
      'openshell.gateway.wait',
    ]);
  });

  it('a changed TOML alone restarts the container', () => {
    expect(kinds({ ...healthy, configCurrent: false })).toEqual([
      'file.write',
      'docker.container.restart',
      'openshell.gateway.wait',
    ]);
  });

  it('a changed image or port is refused unless recreate, which keeps the volume', () => {
    const drifted = {
      ...healthy,
      container: { ...running, image: 'old:1', shape: { ...shape, image: 'old:1' } },
    };
    expect(() => kinds(drifted)).toThrow(/runs with image old:1/);
    // The hint names commands that exist.
    const e = (() => {
      try {
        kinds(drifted);
      } catch (x) {
        return x as { hint?: string };
      }
    })();
    expect(e?.hint).toContain('docker rm -f nemoclaw-openshell-gateway');
    expect(e?.hint).not.toContain('--recreate-gateway');
    expect(kinds(drifted, true)).toEqual([
      'docker.image.ensure',
      'docker.container.remove',
      'docker.container.create',
      'docker.container.start',
      'openshell.gateway.wait',
    ]);
  });

  it('refuses a same-named container nemoclaw did not make', () => {
    expect(() => kinds({ ...healthy, container: { ...running, labels: {} } })).toThrow(
      /did not create it/,
    );
  });
});
