import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBlueprint } from '../../src/adapters/blueprint/resolve.ts';
import { connectEngine, type DockerEngine } from '../../src/adapters/docker/engine.ts';
import { statePaths } from '../../src/adapters/state/paths.ts';
import type { Blueprint } from '../../src/core/blueprint/schema.ts';
import { NemoclawError } from '../../src/core/errors.ts';
import { ensureGateway, registerRemoteGateway } from '../../src/usecases/gateway.ts';
import {
  cleanupRun,
  docker,
  RUN_ID,
  skipWithoutDocker,
  TEST_LABEL,
  uniqueName,
} from '../helpers/docker.ts';
import { realAdapters } from '../helpers/adapter-world.ts';
import { fakeGatewayClient } from '../helpers/fake-gateway-client.ts';
import { buildGatewayStandins } from '../helpers/gateway-standin.ts';
import { freePort } from '../helpers/net.ts';

const skip = await skipWithoutDocker('gateway container');
const labels = { [TEST_LABEL]: RUN_ID };

async function execIn(container: string, cmd: string[]): Promise<string> {
  const ex = await docker()
    .getContainer(container)
    .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await ex.start({});
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve());
  });
  return Buffer.concat(chunks).toString('utf8');
}

describe.skipIf(skip)('local gateway container', () => {
  let engine: DockerEngine;
  let blueprint: Blueprint;
  let images: { gateway: string; supervisor: string };
  let home: string;
  const homes: string[] = [];

  beforeAll(async () => {
    engine = await connectEngine(process.env);
    blueprint = (await resolveBlueprint({ packageRoot: process.cwd(), home: tmpdir() })).blueprint;
    images = await buildGatewayStandins();
    home = mkdtempSync(join(tmpdir(), 'nc-gw-home-'));
    homes.push(home);
  });
  afterAll(async () => {
    await cleanupRun();
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  });

  function setup(over: Record<string, string> = {}) {
    const env = {
      NEMOCLAW_GATEWAY_IMAGE: images.gateway,
      NEMOCLAW_SUPERVISOR_IMAGE: images.supervisor,
      NEMOCLAW_GATEWAY_CONTAINER: uniqueName('nc-test-gw'),
      NEMOCLAW_GATEWAY_VOLUME: uniqueName('nc-test-gw-state'),
      ...over,
    };
    const client = fakeGatewayClient();
    const deps = {
      ...realAdapters(),
      engine,
      openshell: client,
      env,
      supervisorDir: statePaths(home).supervisorDir,
    };
    return { env, client, deps };
  }

  it('creates, registers and reuses the gateway; restarts, starts and heals it without recreating', async () => {
    const { env, client, deps } = setup();
    const port = await freePort();
    const opts = { blueprint, port, extraLabels: labels, graceMs: 1500, timeoutMs: 20_000 };

    const first = await ensureGateway(deps, opts);
    expect(first.plan.steps.map((s) => s.kind)).toEqual([
      'docker.supervisor.copy',
      'file.write',
      'docker.image.ensure',
      'docker.volume.create',
      'docker.container.create',
      'docker.container.start',
      'openshell.gateway.add',
      'openshell.gateway.wait',
    ]);
    expect(first.status?.status).toBe('connected');
    expect(client.calls).toEqual([`gateway add http://127.0.0.1:${port} --local --name nemoclaw`]);

    // The container is the one OpenShell's compose reference describes.
    const name = env.NEMOCLAW_GATEWAY_CONTAINER;
    const info = await docker().getContainer(name).inspect();
    const dataDir = join(home, 'openshell');
    const supervisorPath = join(statePaths(home).supervisorDir, 'openshell-sandbox');
    const health = first.settings.healthPort;
    expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(info.Config.User).toBe('0');
    expect(info.Config.Cmd ?? []).toEqual([]);
    expect(info.HostConfig.PortBindings).toEqual({
      [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(port) }],
      [`${health}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(health) }],
    });
    expect(info.HostConfig.Binds).toEqual([
      `${env.NEMOCLAW_GATEWAY_VOLUME}:/var/openshell`,
      '/var/run/docker.sock:/var/run/docker.sock',
      `${dataDir}:${dataDir}`,
      `${dataDir}/gateway.toml:/etc/openshell/gateway.toml:ro`,
    ]);
    expect(info.HostConfig.GroupAdd?.length).toBe(1);
    expect(info.Config.Env).toEqual(
      expect.arrayContaining([
        'OPENSHELL_GATEWAY_CONFIG=/etc/openshell/gateway.toml',
        'OPENSHELL_DB_URL=sqlite:/var/openshell/openshell.db?mode=rwc',
        `XDG_DATA_HOME=${dataDir}`,
        `HOME=${dataDir}`,
      ]),
    );
    expect(info.Config.Labels['ai.nvidia.nemoclaw.managed-by']).toBe('nemoclaw');
    // The supervisor came from /openshell-sandbox, the real image's path: a static ELF.
    expect(readFileSync(supervisorPath).subarray(0, 4)).toEqual(Buffer.from('\x7fELF', 'latin1'));
    // The stand-in read the generated TOML: /readyz answers on the health port it names.
    expect((await fetch(`http://127.0.0.1:${health}/readyz`)).status).toBe(200);
    expect(readFileSync(join(dataDir, 'gateway.toml'), 'utf8')).toContain(
      `bind_address = "0.0.0.0:${port}"`,
    );
    const id = info.Id;

    // Healthy: reused as is.
    const again = await ensureGateway(deps, opts);
    expect(again.reused).toBe(true);
    expect(again.plan.steps).toEqual([]);

    // Restarted behind our back: found healthy again.
    await docker().getContainer(name).restart({ t: 2 });
    const afterRestart = await ensureGateway(deps, opts);
    expect(afterRestart.status?.status).toBe('connected');
    expect((await docker().getContainer(name).inspect()).Id).toBe(id);

    // Stopped: started, not recreated.
    await docker().getContainer(name).stop({ t: 2 });
    const started = await ensureGateway(deps, opts);
    expect(started.plan.steps.map((s) => s.kind)).toEqual([
      'docker.container.start',
      'openshell.gateway.wait',
    ]);
    expect(started.status?.status).toBe('connected');

    // Running but not answering: restarted, same container, the volume (its secrets) kept.
    await execIn(name, [
      'sh',
      '-c',
      'echo s3cret > /var/openshell/keep-me && touch /var/openshell/sick-once',
    ]);
    await docker().getContainer(name).restart({ t: 2 });
    const healed = await ensureGateway(deps, opts);
    expect(healed.plan.steps.map((s) => s.kind)).toEqual([
      'docker.container.restart',
      'openshell.gateway.wait',
    ]);
    expect(healed.status?.status).toBe('connected');
    expect((await docker().getContainer(name).inspect()).Id).toBe(id);
    expect(await execIn(name, ['cat', '/var/openshell/keep-me'])).toContain('s3cret');
    // The supervisor binary was copied once only.
    expect(healed.plan.steps.some((s) => s.kind === 'docker.supervisor.copy')).toBe(false);
  });

  it('refuses a changed port unless asked to recreate, and keeps the volume when it does', async () => {
    const { env, deps } = setup();
    const opts = {
      blueprint,
      port: await freePort(),
      extraLabels: labels,
      graceMs: 1500,
      timeoutMs: 20_000,
    };
    await ensureGateway(deps, opts);
    const moved = { ...opts, port: await freePort() };
    const err = await ensureGateway(deps, moved).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NemoclawError);
    expect((err as NemoclawError).kind).toBe('conflict');
    expect((err as NemoclawError).hint).toContain(`docker rm -f ${env.NEMOCLAW_GATEWAY_CONTAINER}`);
    const re = await ensureGateway(deps, { ...moved, recreate: true });
    expect(re.plan.steps.map((s) => s.kind)).toContain('docker.container.remove');
    expect(re.plan.steps.map((s) => s.kind)).not.toContain('docker.volume.create');
    expect(re.status?.status).toBe('connected');
    const info = await docker().getContainer(env.NEMOCLAW_GATEWAY_CONTAINER).inspect();
    expect(info.HostConfig.PortBindings[`${moved.port}/tcp`][0].HostPort).toBe(String(moved.port));
  });

  it('migrates a container an older nemoclaw made, keeping its state volume', async () => {
    const { env, deps } = setup();
    const port = await freePort();
    const volume = env.NEMOCLAW_GATEWAY_VOLUME;
    await docker().createVolume({ Name: volume, Labels: labels });
    // The old layout: env settings v0.0.111 ignores, the image's CMD kept, 8080 inside.
    const old = await docker().createContainer({
      name: env.NEMOCLAW_GATEWAY_CONTAINER,
      Image: images.gateway,
      Labels: { ...labels, 'ai.nvidia.nemoclaw.managed-by': 'nemoclaw' },
      Env: [
        'OPENSHELL_DRIVERS=docker',
        'OPENSHELL_DB_URL=sqlite:/var/openshell/openshell.db',
        'OPENSHELL_DOCKER_SUPERVISOR_BIN=/nowhere',
      ],
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: {
        Binds: [`${volume}:/var/openshell`],
        PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
      },
    });
    await old.start();
    await execIn(old.id, ['sh', '-c', 'echo s3cret > /var/openshell/keep-me']);
    const r = await ensureGateway(deps, {
      blueprint,
      port,
      extraLabels: labels,
      timeoutMs: 20_000,
    });
    expect(r.plan.steps.map((s) => s.kind)).toEqual(
      expect.arrayContaining(['file.write', 'docker.container.remove', 'docker.container.create']),
    );
    expect(r.plan.steps.map((s) => s.kind)).not.toContain('docker.volume.create');
    expect(r.plan.steps.find((s) => s.kind === 'docker.container.remove')?.cause).toMatch(
      /command .*overrides the TOML/,
    );
    expect(r.status?.status).toBe('connected');
    const now = await docker().getContainer(env.NEMOCLAW_GATEWAY_CONTAINER).inspect();
    expect(now.Id).not.toBe(old.id);
    expect(await execIn(now.Id, ['cat', '/var/openshell/keep-me'])).toContain('s3cret');
    // Migrated once: the next run reuses it.
    expect((await ensureGateway(deps, { blueprint, port, extraLabels: labels })).reused).toBe(true);
  });

  it('names the image and its override when the gateway image is missing and cannot be pulled', async () => {
    const missing = `nemoclaw-test-missing-${RUN_ID}:0`;
    const { env, deps } = setup({ NEMOCLAW_GATEWAY_IMAGE: missing });
    const err = await ensureGateway(deps, {
      blueprint,
      port: await freePort(),
      extraLabels: labels,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NemoclawError);
    expect((err as NemoclawError).kind).toBe('not-found');
    expect((err as NemoclawError).message).toContain(missing);
    expect((err as NemoclawError).hint).toContain('NEMOCLAW_GATEWAY_IMAGE');
    expect(
      await docker()
        .getContainer(env.NEMOCLAW_GATEWAY_CONTAINER)
        .inspect()
        .catch(() => undefined),
    ).toBeUndefined();
  });

  it('stops waiting at once, with the log lines, when the gateway container exits', async () => {
    const { deps } = setup({ NEMOCLAW_GATEWAY_IMAGE: images.supervisor });
    // The supervisor stand-in's default command is a shell that exits at once: a crashing gateway.
    const started = Date.now();
    const err = await ensureGateway(deps, {
      blueprint,
      port: await freePort(),
      extraLabels: labels,
      timeoutMs: 60_000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NemoclawError);
    expect((err as NemoclawError).message).toMatch(
      /not healthy: the container (exited|keeps exiting)/,
    );
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('remote gateway', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_q, r) => r.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('registers an existing gateway without running a container', async () => {
    const client = fakeGatewayClient();
    const r = await registerRemoteGateway(client, `${url}/`, 'nemoclaw');
    expect(r.status.status).toBe('connected');
    expect(client.calls).toEqual([`gateway add ${url} --name nemoclaw`]);
    // Idempotent.
    await registerRemoteGateway(client, url, 'nemoclaw');
    expect(client.calls.length).toBe(1);
  });

  it('refuses to silently re-point a registered name, and explains an unreachable gateway', async () => {
    const client = fakeGatewayClient();
    await client.gatewayAdd('http://127.0.0.1:1', { name: 'nemoclaw' });
    const conflict = await registerRemoteGateway(client, url).catch((e: unknown) => e);
    expect((conflict as NemoclawError).kind).toBe('conflict');
    const dead = fakeGatewayClient();
    const down = await registerRemoteGateway(dead, 'http://127.0.0.1:1', 'nemoclaw', {
      timeoutMs: 500,
      sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 100))),
    }).catch((e: unknown) => e);
    expect((down as NemoclawError).kind).toBe('unavailable');
    expect((down as NemoclawError).message).toContain('does not answer');
  });
});
