/**
 * Engine-disturbing: kills and restarts the local dockerd, then shows that nemoclaw finds its
 * gateway healthy again (restart policy unless-stopped brings the container back; ensureGateway
 * reuses it rather than recreating it). Runs alone (test/serial).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBlueprint } from '../../src/adapters/blueprint/resolve.ts';
import { connectEngine } from '../../src/adapters/docker/engine.ts';
import { ensureGateway } from '../../src/usecases/gateway.ts';
import {
  cleanupRun,
  docker,
  RUN_ID,
  skipWithoutDocker,
  TEST_LABEL,
  uniqueName,
} from '../helpers/docker.ts';
import {
  findDockerd,
  restartDockerd,
  restoreDockerd,
  type DockerdLaunch,
} from '../helpers/dockerd.ts';
import { fakeGatewayClient } from '../helpers/fake-gateway-client.ts';
import { buildGatewayStandins } from '../helpers/gateway-standin.ts';
import { freePort } from '../helpers/net.ts';
import { realAdapters } from '../helpers/adapter-world.ts';

const skip = await skipWithoutDocker('dockerd restart');
const launch: DockerdLaunch | undefined = skip ? undefined : findDockerd();
if (!skip && !launch) {
  process.stderr.write(
    '\n*** SKIPPING dockerd restart: no local dockerd process to restart (remote engine?) ***\n\n',
  );
}

describe.skipIf(skip || !launch)('gateway after a dockerd restart', () => {
  const home = mkdtempSync(join(tmpdir(), 'nc-serial-home-'));
  afterAll(async () => {
    await restoreDockerd(launch);
    await cleanupRun();
    rmSync(home, { recursive: true, force: true });
  });
  let images: { gateway: string; supervisor: string };
  beforeAll(async () => {
    images = await buildGatewayStandins();
  });

  it('comes back on its own and is reused, not recreated', async () => {
    const env = {
      NEMOCLAW_GATEWAY_IMAGE: images.gateway,
      NEMOCLAW_SUPERVISOR_IMAGE: images.supervisor,
      NEMOCLAW_GATEWAY_CONTAINER: uniqueName('nc-test-gw'),
      NEMOCLAW_GATEWAY_VOLUME: uniqueName('nc-test-gw-state'),
    };
    const client = fakeGatewayClient();
    const engine = await connectEngine(process.env);
    const deps = {
      ...realAdapters(),
      engine,
      openshell: client,
      env,
      supervisorDir: join(home, 'openshell', 'supervisor'),
    };
    const opts = {
      blueprint: (await resolveBlueprint({ packageRoot: process.cwd(), home })).blueprint,
      port: await freePort(),
      extraLabels: { [TEST_LABEL]: RUN_ID },
      graceMs: 15_000,
      timeoutMs: 30_000,
    };
    const first = await ensureGateway(deps, opts);
    expect(first.status?.status).toBe('connected');
    const id = (await docker().getContainer(env.NEMOCLAW_GATEWAY_CONTAINER).inspect()).Id;

    await restartDockerd(launch!);
    const current = findDockerd();
    expect(current?.pid).not.toBe(launch!.pid);
    launch!.pid = current!.pid;

    const after = await ensureGateway({ ...deps, engine: await connectEngine(process.env) }, opts);
    expect(after.status?.status).toBe('connected');
    expect(after.plan.steps.map((s) => s.kind)).not.toContain('docker.container.create');
    expect((await docker().getContainer(env.NEMOCLAW_GATEWAY_CONTAINER).inspect()).Id).toBe(id);
    expect(client.calls).toHaveLength(1); // registered once, never again
  });
});
