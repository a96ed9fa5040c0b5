/**
 * `<name> stop|start`, `stop --all|start --all` (issue 15) against the simulator with real
 * containers: the state is kept, the dashboard forward goes down and comes back, status and list
 * say Stopped, and recover leaves a sandbox stopped on purpose alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutDocker } from '../helpers/docker.ts';
import { freePort } from '../helpers/net.ts';
import type { World } from '../helpers/e2e.ts';
import { onboardedWorld, simSh, tearDownWorld } from '../helpers/sandbox-flow.ts';

const skip = await skipWithoutDocker('stop and start end to end');
const NAME = 'lc-one';

describe.skipIf(skip)('stop and start keep the state', () => {
  let w: World;
  const sh = (cmd: string) => simSh(w, NAME, cmd);
  const phase = async () =>
    JSON.parse((await w.sim.run(['sandbox', 'get', NAME, '-g', 'nemoclaw', '-o', 'json'])).stdout)
      .phase as string;
  const registry = () =>
    JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), 'utf8'));
  const forwarded = async () => {
    const fl = await w.sim.run(['forward', 'list']);
    return new RegExp(`${NAME}\\s+\\S+\\s+${w.env.NEMOCLAW_DASHBOARD_PORT}`).test(fl.stdout);
  };

  beforeAll(async () => {
    ({ w } = await onboardedWorld(NAME));
    const seed = await sh('printf "kept\\n" > /sandbox/.openclaw/memory/log.md');
    if (seed.code !== 0) throw new Error(seed.stderr);
  }, 240_000);
  afterAll(() => tearDownWorld(w));

  it('stop: Stopped, forward down, status exits 0 and says so, recover leaves it alone', async () => {
    expect(await forwarded()).toBe(true);
    const dry = await w.cli([NAME, 'stop', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('openshell.sandbox.stop');
    expect(await phase()).toBe('Ready');

    const r = await w.cli([NAME, 'stop']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`nemoclaw ${NAME} start`);
    expect(await phase()).toBe('Stopped');
    expect(await forwarded()).toBe(false);
    expect(registry().sandboxes[NAME].desiredState).toBe('stopped');

    const s = await w.cli([NAME, 'status', '--json']);
    expect(s.code, s.stdout).toBe(0);
    expect(JSON.parse(s.stdout).parts.sandbox).toMatchObject({ phase: 'Stopped', state: 'warn' });
    const l = await w.cli(['list', '--json']);
    expect(JSON.parse(l.stdout).sandboxes[0]).toMatchObject({ name: NAME, phase: 'Stopped' });

    const rec = await w.cli([NAME, 'recover']);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout).toContain('stopped on purpose');
    const all = await w.cli(['recover']);
    expect(all.code, all.stderr).toBe(0);
    expect(await phase()).toBe('Stopped');

    // Stopping again changes nothing.
    const again = await w.cli([NAME, 'stop']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Already stopped');
  }, 120_000);

  it('start: Ready again, forward back, the state is still there', async () => {
    const r = await w.cli([NAME, 'start']);
    expect(r.code, r.stderr).toBe(0);
    expect(await phase()).toBe('Ready');
    expect(await forwarded()).toBe(true);
    expect(registry().sandboxes[NAME].desiredState).toBe('running');
    expect((await sh('cat /sandbox/.openclaw/memory/log.md')).stdout).toBe('kept\n');
  }, 120_000);

  it('stop --all and start --all; plain `stop` without --all is a usage error', async () => {
    const bad = await w.cli(['stop']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--all');
    const stop = await w.cli(['stop', '--all']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(await phase()).toBe('Stopped');
    const start = await w.cli(['start', '--all']);
    expect(start.code, start.stderr).toBe(0);
    expect(await phase()).toBe('Ready');
    expect(await forwarded()).toBe(true);
  }, 120_000);

  it('profiles list; onboard --profile: the dry run shows what the runners resolve, then it applies', async () => {
    const l = await w.cli(['profiles', 'list', '--json']);
    expect(l.code, l.stderr).toBe(0);
    const doc = JSON.parse(l.stdout);
    expect(doc.blueprint).toBe('0.2.0');
    expect(doc.profiles).toContainEqual(
      expect.objectContaining({ name: 'small', cpu: '1', memory: '2Gi', inference: 'default' }),
    );
    const bad = await w.cli(['onboard', '--name', 'lc-prof', '--profile', 'nope', '--dry-run']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no profile "nope"');

    const port = { NEMOCLAW_DASHBOARD_PORT: String(await freePort()) };
    const before = w.sim.invocations().length;
    const dry = await w.cli(['onboard', '--name', 'lc-prof', '--profile', 'small', '--dry-run'], {
      env: port,
    });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/blueprint\.verify 0\.2\.0 \(sha256:/);
    expect(dry.stdout).toMatch(
      /docker\.image\.build nemoclaw-sandbox-openclaw:0\.2\.0-[0-9a-f]{12}/,
    );
    expect(dry.stdout).toContain('resources: {"cpu":"1","memory":"2Gi"}');
    expect(dry.stdout).toContain('command: nemoclaw-harden nemoclaw-start');
    expect(w.sim.invocations().length).toBe(before);
    // Without a model given, the profile's inference profile brings its model with its provider.
    const own = await w.cli(['onboard', '--name', 'lc-prof', '--profile', 'small', '--dry-run'], {
      env: { ...port, NEMOCLAW_MODEL: '', NEMOCLAW_PROVIDER: '' },
    });
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).toContain('nvidia/nemotron-3-super-120b-a12b');

    const r = await w.cli(['onboard', '--name', 'lc-prof', '--profile', 'small'], { env: port });
    expect(r.code, r.stderr).toBe(0);
    expect(registry().sandboxes['lc-prof'].profile).toBe('small');
    const create = w.sim
      .invocations()
      .filter((c) => c.command === 'sandbox create')
      .at(-1)!;
    expect(create.argv.join(' ')).toContain('--cpu 1 --memory 2Gi');
  }, 180_000);
});
