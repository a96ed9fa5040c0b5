/**
 * The dashboard is really reachable (issue 12, item 3): the agent inside listens on the port the
 * forward targets, the simulator's forward relays TCP to that port inside the sandbox container,
 * and `status` / `connect` show the URL. Also: `sandbox create` carries the blueprint's resources.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBlueprint } from '../../src/adapters/blueprint/resolve.ts';
import { docker, skipWithoutDocker } from '../helpers/docker.ts';
import {
  buildStandinImages,
  cleanupImages,
  createWorld,
  type Images,
  type World,
} from '../helpers/e2e.ts';

const skip = await skipWithoutDocker('dashboard forward end to end');
const NAME = 'dash-one';

async function get(url: string): Promise<{ status: number; body: string } | Error> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return { status: r.status, body: await r.text() };
  } catch (e) {
    return e as Error;
  }
}

describe.skipIf(skip)('dashboard through the forward', () => {
  let images: Images;
  let w: World;
  let port: number;
  beforeAll(async () => {
    images = await buildStandinImages();
    w = await createWorld(images);
    port = Number(w.env.NEMOCLAW_DASHBOARD_PORT);
    const r = await w.cli(['onboard', '--name', NAME]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    await w?.cleanup();
    await cleanupImages();
  });

  it('answers HTTP on the chosen host port, from the agent inside (not 18789)', async () => {
    expect(port).not.toBe(18789);
    const r = await get(`http://127.0.0.1:${port}/`);
    expect(r).not.toBeInstanceOf(Error);
    expect(r).toMatchObject({ status: 200 });
    expect((r as { body: string }).body).toContain(`agent dashboard on ${port}`);
  });

  it('status shows the URL and the running forward', async () => {
    const r = await w.cli([NAME, 'status', '--json']);
    const report = JSON.parse(r.stdout) as {
      parts: Record<string, { state: string; url?: string }>;
    };
    expect(report.parts.dashboard).toMatchObject({
      state: 'ok',
      url: `http://127.0.0.1:${port}/`,
    });
  });

  it('a stopped forward moves nothing; connect starts it again and shows the URL', async () => {
    expect((await w.sim.run(['forward', 'stop', String(port), NAME, '-g', 'nemoclaw'])).code).toBe(
      0,
    );
    expect(await get(`http://127.0.0.1:${port}/`)).toBeInstanceOf(Error);
    const st = JSON.parse((await w.cli([NAME, 'status', '--json'])).stdout) as {
      parts: Record<string, { state: string }>;
    };
    expect(st.parts.dashboard?.state).toBe('warn');
    const c = await w.cli([NAME, 'connect'], { input: 'echo connected-ok\nexit\n' });
    expect(c.stdout + c.stderr).toContain(`Dashboard: http://127.0.0.1:${port}/`);
    expect(await get(`http://127.0.0.1:${port}/`)).toMatchObject({ status: 200 });
  });

  it('a forward to a port nothing listens on inside fails the connection', async () => {
    const create = w.sim
      .invocations()
      .find((i) => i.command === 'sandbox create' && i.argv.includes(NAME))!;
    const container = (
      await docker().listContainers({
        filters: { label: [`openshell.ai/sandbox-name=${NAME}`] },
      })
    )[0]!;
    expect(container).toBeDefined();
    // The default (newest packaged) blueprint's resources reached `sandbox create` and the
    // container's limits. Expected values come from the blueprint itself, not literals.
    const bp = await resolveBlueprint({
      packageRoot: join(import.meta.dirname, '../..'),
      home: tmpdir(),
    });
    const { cpu, memory } = bp.blueprint.resources;
    expect(create.argv.join(' ')).toContain(`--cpu ${cpu} --memory ${memory}`);
    const info = await docker().getContainer(container.Id).inspect();
    // Whole CPUs and Gi/Mi memory (what the packaged blueprints use), converted here
    // independently of the simulator's own conversion.
    const gib = /^(\d+)(Gi|Mi)$/.exec(memory)!;
    expect(gib, `unexpected memory quantity ${memory}`).not.toBeNull();
    expect(info.HostConfig.NanoCpus).toBe(Number(cpu) * 1e9);
    expect(info.HostConfig.Memory).toBe(Number(gib[1]) * (gib[2] === 'Gi' ? 2 ** 30 : 2 ** 20));
    // A second forward to a port the agent does not serve: the relay connects, nothing answers.
    const { freePort } = await import('../helpers/net.ts');
    const other = await freePort();
    const f = await w.sim.run([
      'forward',
      'start',
      String(other),
      NAME,
      '--background',
      '-g',
      'nemoclaw',
    ]);
    expect(f.code, f.stderr).toBe(0);
    expect(await get(`http://127.0.0.1:${other}/`)).toBeInstanceOf(Error);
    expect((await w.sim.run(['forward', 'stop', String(other), NAME, '-g', 'nemoclaw'])).code).toBe(
      0,
    );
  });
});
