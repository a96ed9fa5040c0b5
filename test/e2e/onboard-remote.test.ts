/**
 * Onboarding against a remote-registered gateway (issue 12, item 8). OpenShell v0.0.111 does not
 * build Dockerfiles for remote gateways and a remote cluster cannot pull a tag only this host has,
 * so nemoclaw pushes the image to a registry the user names (a real registry server here, pushed
 * to and pulled from by the real Engine) and refuses up front when none is named. The simulator
 * pulls a remote gateway's images from their registry (test/simulator/remote-image.ts).
 */
import { createServer, type Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, skipWithoutDocker } from '../helpers/docker.ts';
import {
  buildStandinImages,
  cleanupImages,
  createWorld,
  type Images,
  type World,
} from '../helpers/e2e.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';

const skip = await skipWithoutDocker('remote gateway onboarding');
/** A non-loopback address of this host: the CLI counts a plaintext gateway there as remote. */
const hostIp = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe.skipIf(skip || !hostIp)('onboarding against a remote gateway', () => {
  let images: Images;
  let w: World;
  let registry: TestRegistry;
  let remote: Server;
  let url: string;
  beforeAll(async () => {
    images = await buildStandinImages();
    w = await createWorld(images);
    registry = await startRegistry();
    remote = createServer((_q, r) => r.end('ok'));
    await new Promise<void>((r) => remote.listen(0, hostIp, r));
    url = `http://${hostIp}:${(remote.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await w?.cleanup();
    await registry?.close();
    await new Promise<void>((r) => (remote ? remote.close(() => r()) : r()));
    // The pushed and pulled copies carry the stand-in's labels, so cleanupImages removes them.
    await cleanupImages();
  });

  it('refuses up front, exit 2, when no registry is named', async () => {
    const before = w.sim.invocations().length;
    const r = await w.cli(['onboard', '--name', 'remote-none', '--gateway-url', url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--image-registry / NEMOCLAW_IMAGE_REGISTRY');
    expect(r.stderr).toContain('a remote gateway cannot run an image built on this host');
    expect(w.sim.invocations().length).toBe(before);
  });

  it('the simulator, like a remote cluster, cannot run a tag only this host has', async () => {
    expect((await w.sim.run(['gateway', 'add', url, '--name', 'far'])).code).toBe(0);
    const r = await w.sim.run([
      'sandbox',
      'create',
      '--name',
      'local-tag',
      '--from',
      images.base,
      '-g',
      'far',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('failed to pull image');
    expect((await w.sim.run(['gateway', 'remove', 'far'])).code).toBe(0);
  });

  it('pushes the image to the named registry and the sandbox runs it from there', async () => {
    const repo = `${registry.host}/team`;
    const r = await w.cli([
      'onboard',
      '--name',
      'remote-one',
      '--gateway-url',
      url,
      '--image-registry',
      repo,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const create = w.sim
      .invocations()
      .find((i) => i.command === 'sandbox create' && i.argv.includes('remote-one'))!;
    const from = create.argv[create.argv.indexOf('--from') + 1]!;
    expect(from).toMatch(
      new RegExp(`^${repo.replace(/[.]/g, '\\.')}/nemoclaw-sandbox-openclaw@sha256:[a-f0-9]{64}$`),
    );
    // The registry holds what the sandbox runs.
    const pushed = registry.manifests.get('team/nemoclaw-sandbox-openclaw');
    expect(pushed?.has(from.split('@')[1]!)).toBe(true);
    const [c] = await docker().listContainers({
      filters: { label: ['openshell.ai/sandbox-name=remote-one'] },
    });
    expect(c?.Image).toBe(from);
  });

  it('rebuild pushes the rebuilt image to the same registry and runs it from there; --dry-run shows the push', async () => {
    const repo = `${registry.host}/team`;
    const before = w.sim.invocations().length;
    const dry = await w.cli(['remote-one', 'rebuild', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`push: ${repo} (the remote gateway pulls from there)`);
    expect(
      w.sim
        .invocations()
        .slice(before)
        .map((i) => i.command),
    ).not.toContain('sandbox create');
    // The registry forgets what onboarding pushed: the new sandbox can only run what rebuild pushes.
    registry.manifests.clear();
    const r = await w.cli(['remote-one', 'rebuild', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    const create = w.sim
      .invocations()
      .slice(before)
      .find((i) => i.command === 'sandbox create' && i.argv.includes('remote-one'))!;
    const from = create.argv[create.argv.indexOf('--from') + 1]!;
    expect(from).toMatch(
      new RegExp(`^${repo.replace(/[.]/g, '\\.')}/nemoclaw-sandbox-openclaw@sha256:[a-f0-9]{64}$`),
    );
    expect(registry.manifests.get('team/nemoclaw-sandbox-openclaw')?.has(from.split('@')[1]!)).toBe(
      true,
    );
    const [c] = await docker().listContainers({
      filters: { label: ['openshell.ai/sandbox-name=remote-one'] },
    });
    expect(c?.Image).toBe(from);
  }, 240_000);
});
