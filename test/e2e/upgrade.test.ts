/**
 * Blueprint upgrades (issue 15) against the simulator with real containers: a sandbox on 0.1.0 is
 * reported behind, its plan shows the blueprint diff, `upgrade-sandboxes` is killed (SIGKILL) at
 * every step and resumed without losing a byte of the agent's state, the migration runs, and
 * `rebuild --rollback` goes back; a failing migration keeps the snapshot and says how to roll back.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REBUILD_STEPS } from '../../src/core/rebuild/journal.ts';
import { REBUILD_STEP_KINDS } from '../../src/core/rebuild/steps.ts';
import { skipWithoutDocker } from '../helpers/docker.ts';
import { freePort } from '../helpers/net.ts';
import type { Images, World } from '../helpers/e2e.ts';
import {
  copyBlueprint,
  journalPath,
  killAtStep,
  mutatingCalls,
  onboardedWorld,
  registered,
  simSh,
  simShOk,
  stateChecksum,
  tearDownWorld,
} from '../helpers/sandbox-flow.ts';

const skip = await skipWithoutDocker('blueprint upgrade end to end');
const NAME = 'up-one';
const ROOT = join(import.meta.dirname, '../..');

// Every file and folder of the agent's state, with mode and content hash; the migration's marker
// is the one file an upgrade may add. The state is /sandbox/.openclaw-data (the blueprint's
// state_paths); /sandbox/.openclaw is the config generated into each image, whose dashboard token
// is made fresh per build, so it differs between blueprints by design: only its links must stay.
const CHECKSUM = stateChecksum('! -name .nemoclaw-layout');
const MARKER = '/sandbox/.openclaw-data/memory/.nemoclaw-layout';
const LINKS =
  'cd /sandbox/.openclaw && for f in *; do [ -L "$f" ] && echo "$f $(readlink "$f")"; done';

describe.skipIf(skip)('blueprint upgrades keep the agent state', () => {
  let images: Images;
  let w: World;
  const dirs: string[] = [];
  const sh = (cmd: string) => simSh(w, NAME, cmd);
  const checksum = () => simShOk(w, NAME, CHECKSUM);
  const links = () => simShOk(w, NAME, LINKS);
  const entry = () => registered(w)[NAME];
  const journalFile = () => journalPath(w.env.NEMOCLAW_HOME!, NAME);

  beforeAll(async () => {
    ({ images, w } = await onboardedWorld(NAME, { onboard: ['--blueprint', '0.1.0'] }));
    const seed = await sh(
      'mkdir -p /sandbox/.openclaw/workspace/a /sandbox/.openclaw/memory && printf "day one\\n" > /sandbox/.openclaw/memory/log.md && printf x > /sandbox/.openclaw/workspace/a/c.txt && chmod 0640 /sandbox/.openclaw/workspace/a/c.txt',
    );
    if (seed.code !== 0) throw new Error(seed.stderr);
  }, 240_000);
  afterAll(async () => {
    await tearDownWorld(w);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('status says 0.2.0 is available; --check lists why; --dry-run prints the diff and changes nothing', async () => {
    expect(entry().blueprintVersion).toBe('0.1.0');
    const s = await w.cli([NAME, 'status', '--json']);
    expect(JSON.parse(s.stdout).parts.blueprint).toMatchObject({ available: '0.2.0' });

    const check = await w.cli(['upgrade-sandboxes', '--check']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(
      new RegExp(`${NAME}\\s+0\\.1\\.0\\s+blueprint 0\\.1\\.0 → 0\\.2\\.0`),
    );

    const before = w.sim.invocations().length;
    const dry = await w.cli(['upgrade-sandboxes', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    for (const s of REBUILD_STEPS)
      expect(dry.stdout).toContain(`${REBUILD_STEP_KINDS[s.id]} ${NAME}`);
    expect(dry.stdout).toContain('migrations: ["state-layout-marker"]');
    expect(dry.stdout).toContain('resources: memory 4Gi → 6Gi');
    expect(dry.stdout).toContain('start-command: nemoclaw-start → nemoclaw-harden nemoclaw-start');
    expect(mutatingCalls(w, before)).toEqual([]);
  }, 120_000);

  it('killed with SIGKILL at every upgrade step, upgrade-sandboxes resumes and loses nothing', async () => {
    const before = await checksum();
    const linksBefore = await links();
    expect(before).toContain('F ./workspace/a/c.txt 640');
    expect(before).toContain('F ./memory/log.md');
    for (const step of REBUILD_STEPS) {
      const args = ['upgrade-sandboxes', '--yes'];
      await killAtStep(w, { name: NAME, args, step: step.id, what: 'upgrade' });
    }
    const done = await w.cli(['upgrade-sandboxes', '--yes']);
    expect(done.code, done.stderr).toBe(0);
    expect(await checksum()).toBe(before);
    expect(await links()).toBe(linksBefore);
    expect((await sh(`cat ${MARKER}`)).stdout).toBe('0.2.0\n');
    expect(entry()).toMatchObject({ blueprintVersion: '0.2.0' });
    expect(existsSync(journalFile())).toBe(false);
    // The new sandbox got the providers recorded at onboard, not a guess.
    const create = w.sim
      .invocations()
      .filter((c) => c.command === 'sandbox create')
      .at(-1)!;
    for (const p of entry().providers) expect(create.argv).toContain(p);
    const again = await w.cli(['upgrade-sandboxes', '--check']);
    expect(again.stdout).toContain('Every sandbox is up to date.');
  }, 600_000);

  it('rebuild --rollback goes back to 0.1.0 and the state before the upgrade', async () => {
    const before = await checksum();
    const r = await w.cli([NAME, 'rebuild', '--rollback', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Rolled');
    expect(entry()).toMatchObject({ blueprintVersion: '0.1.0' });
    expect(await checksum()).toBe(before);
    expect(before).toContain('F ./memory/log.md');
    expect((await sh(`test -e ${MARKER}`)).code).not.toBe(0);
  }, 240_000);

  it('a failing migration keeps the snapshot, says how to roll back, and --rollback restores', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-bp-'));
    dirs.push(dir);
    copyBlueprint('0.2.0', dir);
    const yaml = readFileSync(join(dir, 'blueprint.yaml'), 'utf8')
      .replace('version: 0.2.0', 'version: 0.3.0')
      .concat(
        '  - id: broken\n    description: fails on purpose\n    since: 0.3.0\n    run: [sh, -c, "echo cannot migrate >&2; exit 3"]\n',
      );
    writeFileSync(join(dir, 'blueprint.yaml'), yaml);
    const before = await checksum();
    const r = await w.cli([NAME, 'rebuild', '--blueprint', dir, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Migration broken failed with exit code 3: cannot migrate');
    expect(r.stderr).toContain(`nemoclaw ${NAME} rebuild --rollback`);
    const j = JSON.parse(readFileSync(journalFile(), 'utf8'));
    expect(j.migrations).toMatchObject({
      'state-layout-marker': { status: 'complete' },
      broken: { status: 'failed' },
    });
    const rb = await w.cli([NAME, 'rebuild', '--rollback', '--yes']);
    expect(rb.code, rb.stderr).toBe(0);
    expect(entry()).toMatchObject({ blueprintVersion: '0.1.0' });
    expect(await checksum()).toBe(before);
  }, 360_000);

  it('rebuild keeps a --from image: rebuilt from its own Dockerfile, with the agent config laid over it, and what the agent wrote survives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-from-'));
    dirs.push(dir);
    for (const f of ['nemoclaw-start', 'nemoclaw-harden'])
      cpSync(join(ROOT, 'blueprints/0.2.0', f), join(dir, f));
    // The image ships something of its own in the agent's default folder (~/.openclaw/skills).
    const dockerfile = (v: string) =>
      `FROM ${images.base}\nCOPY nemoclaw-start nemoclaw-harden /usr/local/bin/\nRUN chmod 0755 /usr/local/bin/nemoclaw-start /usr/local/bin/nemoclaw-harden && printf ${v} > /custom-marker && mkdir -p /sandbox/.openclaw/skills/mine && printf shipped > /sandbox/.openclaw/skills/mine/SKILL.md\n`;
    writeFileSync(join(dir, 'Dockerfile'), dockerfile('v1'));
    const port = { NEMOCLAW_DASHBOARD_PORT: String(await freePort()) };
    const name = 'up-from';
    const r = await w.cli(['onboard', '--name', name, '--from', join(dir, 'Dockerfile')], {
      env: port,
    });
    expect(r.code, r.stderr).toBe(0);
    const x = (cmd: string) => simSh(w, name, cmd);
    expect((await x('cat /custom-marker')).stdout).toBe('v1');
    // The generated config and the links into the state, as in the packaged image; the agent is
    // told where its state is (OPENCLAW_STATE_DIR, which the real openclaw honours).
    expect((await x('readlink /sandbox/.openclaw/memory')).stdout.trim()).toBe(
      '/sandbox/.openclaw-data/memory',
    );
    expect((await x('test -s /sandbox/.openclaw/openclaw.json && echo ok')).stdout).toBe('ok\n');
    const env = (await x('env')).stdout;
    expect(env).toContain('OPENCLAW_STATE_DIR=/sandbox/.openclaw-data');
    expect((await x('cat /sandbox/.openclaw-data/skills/mine/SKILL.md')).stdout).toBe('shipped');
    // The agent writes in its usual folders; a rebuild carries it.
    const seed = await x(
      'echo from > /sandbox/.openclaw/memory/m.md && mkdir -p /sandbox/.openclaw/workspace && echo ws > /sandbox/.openclaw/workspace/w.md',
    );
    expect(seed.code, seed.stderr).toBe(0);
    writeFileSync(join(dir, 'Dockerfile'), dockerfile('v2'));
    const rb = await w.cli([name, 'rebuild', '--yes'], { env: port });
    expect(rb.code, rb.stderr).toBe(0);
    expect((await x('cat /custom-marker')).stdout).toBe('v2');
    expect((await x('cat /sandbox/.openclaw/memory/m.md')).stdout).toBe('from\n');
    expect((await x('cat /sandbox/.openclaw-data/workspace/w.md')).stdout).toBe('ws\n');
  }, 300_000);
});
