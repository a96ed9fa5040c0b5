import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REBUILD_STEPS } from '../../src/core/rebuild/journal.ts';
import { skipWithoutDocker } from '../helpers/docker.ts';
import type { World } from '../helpers/e2e.ts';
import {
  journalPath,
  killAtStep,
  onboardedWorld,
  simSh,
  simShOk,
  stateChecksum,
  tearDownWorld,
} from '../helpers/sandbox-flow.ts';

const skip = await skipWithoutDocker('rebuild end to end');
const NAME = 'rb-one';

const CHECKSUM = stateChecksum();

describe.skipIf(skip)('rebuild never loses the agent state', () => {
  let w: World;
  const sh = (cmd: string) => simSh(w, NAME, cmd);
  const checksum = () => simShOk(w, NAME, CHECKSUM);
  const journalFile = () => journalPath(w.env.NEMOCLAW_HOME!, NAME);

  beforeAll(async () => {
    ({ w } = await onboardedWorld(NAME));
  }, 240_000);
  afterAll(() => tearDownWorld(w));

  it('rebuilds a freshly onboarded sandbox with no agent state, the first time', async () => {
    // Fresh: most state paths do not exist yet, two are empty folders.
    const fresh = await sh(
      'rm -rf /sandbox/.openclaw && mkdir -p /sandbox/.openclaw/workspace /sandbox/.openclaw/memory',
    );
    expect(fresh.code, fresh.stderr).toBe(0);
    const r = await w.cli([NAME, 'rebuild', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(journalFile())).toBe(false);
    const list = JSON.parse((await w.cli([NAME, 'snapshot', 'list', '--json'])).stdout);
    // The pre-rebuild snapshot holds no file, and verifies on its own too.
    expect(list.snapshots).toHaveLength(1);
    expect(list.snapshots[0]).toMatchObject({ files: 0, complete: true });
    expect(list.snapshots[0].name).toMatch(/^pre-rebuild-/);
    const verify = await w.cli([NAME, 'snapshot', 'verify', list.snapshots[0].id]);
    expect(verify.code, verify.stderr).toBe(0);
  }, 240_000);

  it('rebuilds and every workspace file comes back, byte for byte', async () => {
    const seed = await sh(
      'mkdir -p /sandbox/.openclaw/workspace/a/b /sandbox/.openclaw/memory && printf "day one\\n" > /sandbox/.openclaw/memory/log.md && printf x > /sandbox/.openclaw/workspace/a/b/c.txt && chmod 0640 /sandbox/.openclaw/workspace/a/b/c.txt && ln -s a/b/c.txt /sandbox/.openclaw/workspace/link',
    );
    expect(seed.code, seed.stderr).toBe(0);
    const before = await checksum();
    const r = await w.cli([NAME, 'rebuild', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('pre-rebuild snapshot');
    expect(await checksum()).toBe(before);
    expect(existsSync(journalFile())).toBe(false);
    const list = JSON.parse((await w.cli([NAME, 'snapshot', 'list', '--json'])).stdout);
    expect(JSON.stringify(list)).toContain('pre-rebuild-');
  }, 240_000);

  it('without a terminal and without --yes it refuses (exit 2) and changes nothing', async () => {
    const before = w.sim.invocations().length;
    const r = await w.cli([NAME, 'rebuild'], { env: { NEMOCLAW_NON_INTERACTIVE: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(w.sim.invocations().filter((c) => c.command === 'sandbox delete').length).toBe(
      w.sim
        .invocations()
        .slice(0, before)
        .filter((c) => c.command === 'sandbox delete').length,
    );
  });

  it('killed with SIGKILL at every step in turn, --resume completes with every file intact', async () => {
    await sh('printf "day two\\n" >> /sandbox/.openclaw/memory/log.md');
    const before = await checksum();
    let args = [NAME, 'rebuild', '--yes'];
    for (const step of REBUILD_STEPS) {
      // Wait until the journal says this step has started, then kill the process there.
      await killAtStep(w, { name: NAME, args, step: step.id, what: 'rebuild' });
      const j = JSON.parse(readFileSync(journalFile(), 'utf8'));
      expect(j.steps[step.id].status, step.id).toBe('in_progress');
      // A plain rebuild now refuses and points at --resume.
      if (step.id === 'delete') {
        const again = await w.cli([NAME, 'rebuild', '--yes']);
        expect(again.code).toBe(2);
        expect(again.stderr).toContain('rebuild --resume');
      }
      args = [NAME, 'rebuild', '--resume'];
    }
    const done = await w.cli(args);
    expect(done.code, done.stderr).toBe(0);
    expect(await checksum()).toBe(before);
    expect(existsSync(journalFile())).toBe(false);
  }, 480_000);

  it('a failed OpenShell call mid-rebuild leaves the journal, and --resume completes', async () => {
    await sh('printf "day three\\n" >> /sandbox/.openclaw/memory/log.md');
    const before = await checksum();
    const r = await w.cli([NAME, 'rebuild', '--yes'], {
      env: { OPENSHELL_SIM_FAIL: 'sandbox upload:1' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Restoring the agent state');
    expect(r.stderr).toContain('rebuild --resume');
    const done = await w.cli([NAME, 'rebuild', '--resume']);
    expect(done.code, done.stderr).toBe(0);
    expect(await checksum()).toBe(before);
  }, 240_000);
});
