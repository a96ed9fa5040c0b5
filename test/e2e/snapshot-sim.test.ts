import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutDocker } from '../helpers/docker.ts';
import type { World } from '../helpers/e2e.ts';
import { onboardedWorld, simSh, stateChecksum, tearDownWorld } from '../helpers/sandbox-flow.ts';

const skip = await skipWithoutDocker('snapshots against the simulator');

// Files in the agent's state, with modes, nested folders, an empty folder and an in-tree symlink.
// Written through /sandbox/.openclaw's links; the state itself lives in /sandbox/.openclaw-data
// (the generated config beside the links is not state: a rebuild regenerates it).
const SEED = [
  'mkdir -p /sandbox/.openclaw/workspace/notes/deep /sandbox/.openclaw/memory /sandbox/.openclaw/workspace/empty',
  'printf "remember the milk\\n" > /sandbox/.openclaw/memory/today.md',
  'printf "#!/bin/sh\\necho hi\\n" > /sandbox/.openclaw/workspace/run.sh && chmod 0750 /sandbox/.openclaw/workspace/run.sh',
  'printf "secret-ish plan" > /sandbox/.openclaw/workspace/notes/deep/plan.txt && chmod 0400 /sandbox/.openclaw/workspace/notes/deep/plan.txt',
  'ln -s notes/deep/plan.txt /sandbox/.openclaw/workspace/plan-link',
].join(' && ');

const CHECKSUM = stateChecksum('-path ./plugins -prune -o -print');

describe.skipIf(skip)('snapshots of a real sandbox', () => {
  let w: World;
  const sh = (cmd: string) => simSh(w, 'snap-one', cmd);
  beforeAll(async () => {
    ({ w } = await onboardedWorld('snap-one'));
  }, 240_000);
  afterAll(() => tearDownWorld(w));

  it('snapshots a freshly onboarded sandbox (no agent state yet), verifies and restores nothing', async () => {
    // No state path exists yet except two empty folders.
    // The state lives in .openclaw-data (the blueprint's state paths; .openclaw is the generated
    // config, whose links point there).
    const fresh = await sh(
      'rm -rf /sandbox/.openclaw-data/* && mkdir -p /sandbox/.openclaw-data/workspace /sandbox/.openclaw-data/memory',
    );
    expect(fresh.code, fresh.stderr).toBe(0);
    const listing = 'find /sandbox/.openclaw-data | sort';
    const before = (await sh(listing)).stdout;
    const created = await w.cli(['snap-one', 'snapshot', 'create', '--name', 'fresh']);
    expect(created.code, created.stderr).toBe(0);
    const verify = await w.cli(['snap-one', 'snapshot', 'verify', 'fresh', '--json']);
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, files: 0 });
    const restored = await w.cli(['snap-one', 'snapshot', 'restore', 'fresh', '--yes']);
    expect(restored.code, restored.stderr).toBe(0);
    expect((await sh(listing)).stdout).toBe(before);
  }, 240_000);

  it('round-trips every byte, mode and path through create, verify and restore', async () => {
    const seeded = await sh(SEED);
    expect(seeded.code, seeded.stderr).toBe(0);
    const before = await sh(CHECKSUM);
    expect(before.stdout).toContain('memory/today.md');

    const created = await w.cli(['snap-one', 'snapshot', 'create', '--name', 'first', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const verify = await w.cli(['snap-one', 'snapshot', 'verify', 'first']);
    expect(verify.code, verify.stderr).toBe(0);

    // Damage the live state, then restore.
    const damage = await sh(
      'rm -rf /sandbox/.openclaw/workspace/notes && echo changed > /sandbox/.openclaw/memory/today.md && echo extra > /sandbox/.openclaw/memory/new.md',
    );
    expect(damage.code).toBe(0);
    const restored = await w.cli(['snap-one', 'snapshot', 'restore', 'first', '--yes']);
    expect(restored.code, restored.stderr).toBe(0);
    const after = await sh(CHECKSUM);
    expect(after.stdout).toBe(before.stdout);
  }, 240_000);

  it('lists snapshots as v1..vN and refuses an unknown selector', async () => {
    const list = await w.cli(['snap-one', 'snapshot', 'list', '--json']);
    expect(list.code).toBe(0);
    const doc = JSON.parse(list.stdout);
    expect(doc.schemaVersion).toBe(1);
    const bad = await w.cli(['snap-one', 'snapshot', 'restore', 'nope', '--yes']);
    expect(bad.code).not.toBe(0);
  });
});
