/**
 * The folder-backed world of the snapshot adapter tests: a temporary folder holding a fake
 * sandbox's root (`<dir>/sandbox-root`, seeded with an OpenClaw state tree unless `empty`) and a
 * NEMOCLAW_HOME's snapshots folder (`<dir>/home/snapshots`). Fresh for each test, removed after.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { adapterAreas } from '../../src/main.ts';
import type { World } from '../../src/world.ts';
import { fakeSandbox, type FakeClient } from './fake-sandbox.ts';
import { seedOpenclaw } from './snapshot-fixtures.ts';

export interface SnapshotWorld {
  readonly dir: string;
  readonly sb: FakeClient;
  readonly snapshotsDir: string;
}

export function useSnapshotWorld(prefix: string, o: { empty?: boolean } = {}): SnapshotWorld {
  let current: SnapshotWorld | undefined;
  beforeEach(() => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    const root = join(dir, 'sandbox-root');
    if (o.empty) mkdirSync(join(root, 'sandbox'), { recursive: true });
    else {
      mkdirSync(root);
      seedOpenclaw(root);
    }
    current = { dir, sb: fakeSandbox(root), snapshotsDir: join(dir, 'home', 'snapshots') };
  });
  afterEach(() => {
    if (current) rmSync(current.dir, { recursive: true, force: true });
    current = undefined;
  });
  const now = (): SnapshotWorld => {
    if (!current) throw new Error('useSnapshotWorld: read it inside a test or a hook');
    return current;
  };
  return {
    get dir() {
      return now().dir;
    },
    get sb() {
      return now().sb;
    },
    get snapshotsDir() {
      return now().snapshotsDir;
    },
  };
}

/** The real snapshot store and I/O, as the world gives them to the snapshot use cases. */
export const snapshotIo: Pick<World, 'snapshots'> = { snapshots: adapterAreas().snapshots };
