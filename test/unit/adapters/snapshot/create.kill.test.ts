/**
 * SIGKILL during create never leaves a listed snapshot that fails verification: the archive is
 * written under a temp name and renamed, and the manifest (which is what `list` reads) comes last.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySnapshot } from '../../../../src/usecases/snapshot-restore.ts';
import { listSnapshots } from '../../../../src/adapters/snapshot/store.ts';
import { findSnapshotLitter } from '../../../../src/adapters/snapshot/litter.ts';
import { writeSnapshot } from '../../../../src/adapters/snapshot/create.ts';
import { SOURCE } from '../../../helpers/snapshot-fixtures.ts';
import { snapshotIo } from '../../../helpers/snapshot-world.ts';

const CHILD = join(import.meta.dirname, '..', '..', '..', 'helpers', 'snapshot-child.ts');
let dir: string;
let tree: string;
let snapshotsDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nc-snap-kill-'));
  tree = join(dir, 'tree');
  snapshotsDir = join(dir, 'snapshots');
  for (const sub of ['workspace', 'memory']) {
    const d = join(tree, 'sandbox/.openclaw', sub);
    mkdirSync(d, { recursive: true });
    for (let i = 0; i < 12; i++) {
      // Half incompressible, half text: enough work that a kill lands mid-pack.
      writeFileSync(join(d, `r${i}.bin`), randomBytes(1_500_000));
      writeFileSync(join(d, `t${i}.md`), `line ${i} of the agent's memory\n`.repeat(40_000));
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the child, waits for its `starts`-th create to begin plus `delayMs`, then SIGKILLs it. */
function runAndKill(starts: number, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, tree, snapshotsDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = 0;
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      for (const line of c.toString().split('\n')) {
        if (line === 'start' && ++seen === starts) setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

describe('a kill during snapshot create', () => {
  it('never leaves a listed snapshot that fails verify', async () => {
    let sawPartial = false;
    for (const [starts, delay] of [
      [1, 30],
      [1, 250],
      [2, 120],
      [1, 600],
      [2, 5],
    ] as const) {
      await runAndKill(starts, delay);
      const names = readdirSync(join(snapshotsDir, 'alpha'));
      if (names.some((n) => n.endsWith('.tmp'))) {
        sawPartial = true;
        // What the kill left is found as litter (gc and doctor list it) ...
        const litter = await findSnapshotLitter(snapshotsDir);
        expect(litter.map((l) => l.kind)).toContain('partial archive');
      }
      const { snapshots, unreadable } = await listSnapshots(snapshotsDir, 'alpha');
      expect(unreadable).toEqual([]);
      for (const s of snapshots)
        await verifySnapshot(snapshotIo, s, [
          '/sandbox/.openclaw/workspace',
          '/sandbox/.openclaw/memory',
        ]);
    }
    // At least one kill landed while an archive was being written.
    expect(sawPartial).toBe(true);
    const { snapshots } = await listSnapshots(snapshotsDir, 'alpha');
    expect(snapshots.length).toBeGreaterThan(0);
    // ... and the next create reclaims it.
    await writeSnapshot({
      snapshotsDir,
      source: SOURCE,
      treeDir: tree,
      roots: [{ path: '/sandbox/.openclaw/memory', type: 'dir' }],
    });
    expect(readdirSync(join(snapshotsDir, 'alpha')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(await findSnapshotLitter(snapshotsDir)).toEqual([]);
  }, 60_000);
});
