/**
 * The simulator judges a local gateway container as v0.0.111 would start with it
 * (test/simulator/gateway-container.ts): each rule below makes `status` Disconnected with the
 * reason, while the container itself keeps answering HTTP, so only the rule can catch it.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBlueprint } from '../../src/adapters/blueprint/resolve.ts';
import { connectEngine } from '../../src/adapters/docker/engine.ts';
import { statePaths } from '../../src/adapters/state/paths.ts';
import { ensureGateway } from '../../src/usecases/gateway.ts';
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
import { createSimulator, type Simulator } from '../helpers/simulator.ts';

const skip = await skipWithoutDocker('simulator gateway-container rules');
const labels = { [TEST_LABEL]: RUN_ID };

describe.skipIf(skip)('simulator: the gateway container the real gateway could run with', () => {
  let sim: Simulator;
  let home: string;
  let images: { gateway: string; supervisor: string };
  let port: number;
  let toml: string;
  let supervisor: string;

  const status = async () =>
    JSON.parse((await sim.run(['status', '-g', 'g', '-o', 'json'])).stdout) as {
      status: string;
      error?: string;
    };

  beforeAll(async () => {
    images = await buildGatewayStandins();
    home = mkdtempSync(join(tmpdir(), 'nc-simgw-'));
    sim = createSimulator({ docker: true });
    port = await freePort();
    const blueprint = (await resolveBlueprint({ packageRoot: process.cwd(), home: tmpdir() }))
      .blueprint;
    const r = await ensureGateway(
      {
        ...realAdapters(),
        engine: await connectEngine(process.env),
        openshell: fakeGatewayClient(),
        env: {
          NEMOCLAW_GATEWAY_IMAGE: images.gateway,
          NEMOCLAW_SUPERVISOR_IMAGE: images.supervisor,
          NEMOCLAW_GATEWAY_CONTAINER: uniqueName('nc-test-simgw'),
          NEMOCLAW_GATEWAY_VOLUME: uniqueName('nc-test-simgw-state'),
        },
        supervisorDir: statePaths(home).supervisorDir,
      },
      { blueprint, port, extraLabels: labels, timeoutMs: 20_000 },
    );
    toml = r.settings.configHostPath;
    supervisor = r.settings.supervisorHostPath;
    expect((await sim.run(['gateway', 'add', r.settings.url, '--local', '--name', 'g'])).code).toBe(
      0,
    );
  });
  afterAll(async () => {
    await cleanupRun();
    sim?.cleanup();
    rmSync(home, { recursive: true, force: true });
  });

  it('accepts the layout nemoclaw makes', async () => {
    expect(await status()).toMatchObject({ status: 'connected' });
  });

  it('refuses an unknown key in the TOML (deny_unknown_fields) and database_url in the file', async () => {
    const good = readFileSync(toml, 'utf8');
    try {
      writeFileSync(
        toml,
        good.replace(
          '[openshell.drivers.docker]',
          '[openshell.drivers.docker]\nsupervisor_path = "/x"',
        ),
      );
      const s = await status();
      expect(s.status).toBe('disconnected');
      expect(s.error).toContain('unknown field `supervisor_path` in [openshell.drivers.docker]');
      writeFileSync(toml, good.replace('log_level', 'database_url = "sqlite::memory:"\nlog_level'));
      expect((await status()).error).toContain('database_url may not be set in the config file');
      // A server-side call is Unavailable, as it would be against a gateway that did not start.
      const list = await sim.run(['sandbox', 'list', '-g', 'g'], {
        env: { OPENSHELL_SIM_REQUIRE_GATEWAY: '1' },
      });
      expect(list.code).toBe(1);
      expect(list.stderr).toContain('Unavailable');
    } finally {
      writeFileSync(toml, good);
    }
    expect(await status()).toMatchObject({ status: 'connected' });
  });

  it('refuses a bind port that is not the published port', async () => {
    const good = readFileSync(toml, 'utf8');
    try {
      writeFileSync(
        toml,
        good.replace(`bind_address = "0.0.0.0:${port}"`, 'bind_address = "0.0.0.0:8080"'),
      );
      expect((await status()).error).toContain(
        `host port ${port} is published to container port ${port}, but the gateway listens on 8080`,
      );
    } finally {
      writeFileSync(toml, good);
    }
  });

  it('refuses a supervisor that is not a Linux ELF file', async () => {
    const saved = `${supervisor}.saved`;
    copyFileSync(supervisor, saved);
    try {
      writeFileSync(supervisor, '#!/bin/sh\necho not a binary\n');
      expect((await status()).error).toContain('is not a Linux ELF executable');
      rmSync(supervisor);
      expect((await status()).error).toContain('does not exist or is not a file');
    } finally {
      copyFileSync(saved, supervisor);
    }
    expect(await status()).toMatchObject({ status: 'connected' });
  });

  it('refuses a container whose command overrides the TOML (Cmd not cleared)', async () => {
    const other = await freePort();
    // The image's default CMD (--port 8080) published on another host port: it answers HTTP,
    // but sandboxes would call back on host.openshell.internal:8080.
    const c = await docker().createContainer({
      name: uniqueName('nc-test-simgw-cmd'),
      Image: images.gateway,
      Labels: labels,
      Env: ['OPENSHELL_DB_URL=sqlite::memory:'],
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: {
        PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(other) }] },
      },
    });
    await c.start();
    expect(
      (await sim.run(['gateway', 'add', `http://127.0.0.1:${other}`, '--local', '--name', 'cmd']))
        .code,
    ).toBe(0);
    let s: { status: string; error?: string } = { status: '' };
    for (let i = 0; i < 50; i++) {
      s = JSON.parse((await sim.run(['status', '-g', 'cmd', '-o', 'json'])).stdout);
      if (s.error?.includes('call back')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(s.status).toBe('disconnected');
    expect(s.error).toContain(`sandboxes call back on host.openshell.internal:8080`);
    // The container itself answers: only the rule tells.
    expect((await fetch(`http://127.0.0.1:${other}/`)).status).toBe(200);
  });
});
