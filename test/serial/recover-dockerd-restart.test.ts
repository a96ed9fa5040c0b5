/**
 * Engine-disturbing: a registered sandbox survives a dockerd restart through `nemoclaw <name>
 * recover`. The gateway container comes back by its restart policy (reused, not recreated); the
 * sandbox container does not, but the gateway's startup pass starts it again, as v0.0.111 does for
 * a sandbox whose persisted phase should be running (compute/mod.rs; test/simulator/gateway-startup.ts),
 * so it comes back Starting then Ready, the same container; recover starts it if it is still
 * Starting. The dashboard forward process would not survive a reboot either, so it is dropped here
 * the way a reboot drops it (the simulator's forwards are state entries, not processes). Runs alone
 * (test/serial).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, skipWithoutDocker } from '../helpers/docker.ts';
import {
  findDockerd,
  restartDockerd,
  restoreDockerd,
  type DockerdLaunch,
} from '../helpers/dockerd.ts';
import {
  buildStandinImages,
  cleanupImages,
  createWorld,
  type Images,
  type World,
} from '../helpers/e2e.ts';

const skip = await skipWithoutDocker('recover after a dockerd restart');
const launch: DockerdLaunch | undefined = skip ? undefined : findDockerd();
if (!skip && !launch) {
  process.stderr.write(
    '\n*** SKIPPING recover after a dockerd restart: no local dockerd process to restart ***\n\n',
  );
}

const NAME = 'dt-reboot';

describe.skipIf(skip || !launch)('recover after a dockerd restart', () => {
  let images: Images;
  let w: World;
  beforeAll(async () => {
    images = await buildStandinImages();
    w = await createWorld(images);
    const r = await w.cli(['onboard', '--name', NAME]);
    if (r.code !== 0) throw new Error(`onboard failed:\n${r.stderr}`);
  });
  afterAll(async () => {
    await restoreDockerd(launch);
    await w?.cleanup();
    await cleanupImages();
  });

  it('brings back gateway, sandbox and forward; a second run does nothing', async () => {
    const gatewayId = (await docker().getContainer(w.gatewayContainer).inspect()).Id;
    const sandboxIds = async () =>
      (
        await docker().listContainers({
          all: true,
          filters: JSON.stringify({ label: [`openshell.ai/sandbox-name=${NAME}`] }),
        })
      ).map((c) => c.Id);
    const sandboxBefore = await sandboxIds();
    expect(sandboxBefore).toHaveLength(1);
    await restartDockerd(launch!);
    launch!.pid = findDockerd()!.pid;
    await w.sim.run(['forward', 'stop', w.env.NEMOCLAW_DASHBOARD_PORT!, NAME]);

    // The gateway's startup pass is bringing the sandbox back (Starting or already Ready); the
    // forward, a process on this host, is gone until recover starts it.
    const before = await w.cli([NAME, 'status', '--json']);
    const parts = JSON.parse(before.stdout).parts;
    expect(['Starting', 'Ready']).toContain(parts.sandbox.phase);
    expect(parts.dashboard).toMatchObject({ state: 'warn' });
    expect(parts.dashboard.summary).toContain('forward not running');

    const r = await w.cli([NAME, 'recover']);
    expect(r.stderr + r.stdout).not.toContain('Error:');
    expect(r.code).toBe(0);
    // Started by the gateway's startup pass, or by recover while it was still Starting: either way
    // the same container, never recreated (its /sandbox holds the agent's state).
    expect(r.stdout).toMatch(/Recovered dt-reboot: .*dashboard forward started/);
    expect(await sandboxIds()).toEqual(sandboxBefore);
    expect(r.stdout).toContain('dashboard forward started');
    // Restarted by its policy (or by recover), never recreated: its volume holds the secrets.
    expect((await docker().getContainer(w.gatewayContainer).inspect()).Id).toBe(gatewayId);

    const after = await w.cli([NAME, 'status', '--json']);
    expect(JSON.parse(after.stdout).parts.sandbox.phase).toBe('Ready');
    expect(after.code).toBe(0);
    const exec = await w.cli([NAME, 'exec', '--', 'echo', 'alive']);
    expect(exec.stdout).toContain('alive');

    const again = await w.cli([NAME, 'recover']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to recover');
  });
});
