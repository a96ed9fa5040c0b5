/**
 * Issue 18 item 7: no side effect before validation. `rebuild --resume` and `onboard --resume`
 * read and check every state file they need before their first change, and name a damaged one.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSnapshot } from '../../../src/adapters/snapshot/create.ts';
import type { OpenshellClient } from '../../../src/adapters/openshell/types.ts';
import { statePaths } from '../../../src/adapters/state/paths.ts';
import { registryStore } from '../../../src/adapters/state/registry-store.ts';
import { createUi } from '../../../src/adapters/terminal/ui.ts';
import type { Context } from '../../../src/context.ts';
import { newJournal } from '../../../src/core/rebuild/journal.ts';
import { emptyRegistry, withSandbox } from '../../../src/core/registry/schema.ts';
import { rebuild } from '../../../src/usecases/rebuild.ts';
import { seedOpenclaw, SOURCE } from '../../helpers/snapshot-fixtures.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
let home: string;
let err: string[];

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'nc-resume-'));
  err = [];
  await registryStore(join(home, 'sandboxes.json')).update(() =>
    withSandbox(emptyRegistry(), {
      ...SOURCE,
      provider: 'build',
      model: 'm',
      image: 'img',
      policyTier: 'balanced',
      presets: [],
      customPolicies: [],
      gpu: { enabled: false },
      dashboardPort: 18789,
      gatewayName: 'nemoclaw',
      channels: [],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    }),
  );
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function ctx(): Context {
  const registry = registryStore(join(home, 'sandboxes.json'));
  return {
    env: {},
    cwd: home,
    paths: statePaths(home),
    packageRoot: ROOT,
    ui: createUi({
      stdout: { write: () => true },
      stderr: { write: (s: string) => (err.push(s), true) },
      stdinIsTTY: false,
    }),
    log: { debug() {}, info() {}, warn() {}, error() {}, flush() {} },
    defaultAgent: 'openclaw',
    nonInteractive: true,
    now: () => new Date('2026-02-02T00:00:00.000Z'),
    registry: () => registry,
  };
}

/** An OpenShell that records every call and answers that the sandbox is Ready. */
function recordingOpenshell(calls: string[]): OpenshellClient {
  return new Proxy({} as OpenshellClient, {
    get:
      (_t, name: string) =>
      async (...args: unknown[]) => {
        calls.push(`${name} ${JSON.stringify(args[0] ?? '')}`);
        if (name === 'sandboxGet') return { name: 'alpha', phase: 'Ready' };
        return undefined;
      },
  });
}

/** A rebuild interrupted after its snapshot was taken and verified, before the delete. */
async function interruptedRebuild(): Promise<{ archive: string; manifest: string }> {
  const tree = join(home, 'tree');
  mkdirSync(tree);
  seedOpenclaw(tree);
  const { record } = await writeSnapshot({
    snapshotsDir: join(home, 'snapshots'),
    source: SOURCE,
    treeDir: tree,
    roots: [{ path: '/sandbox/.openclaw/workspace', type: 'dir' }],
  });
  const j = newJournal('alpha', new Date('2026-02-01T00:00:00.000Z'));
  j.snapshotId = record.id;
  j.steps.snapshot = { status: 'complete' };
  j.steps['verify-snapshot'] = { status: 'complete' };
  j.failure = { step: 'delete', message: 'killed' };
  mkdirSync(join(home, 'journal'), { recursive: true });
  writeFileSync(join(home, 'journal', 'alpha.json'), JSON.stringify(j));
  return { archive: record.archivePath, manifest: record.manifestPath };
}

describe('rebuild --resume', () => {
  it.each([
    [
      'a bit-flipped archive (the issue’s example)',
      (f: { archive: string }) => {
        const b = readFileSync(f.archive);
        b[Math.floor(b.length / 2)]! ^= 0xff;
        writeFileSync(f.archive, b);
      },
      /is damaged \(.*\.tar\.gz\)/,
    ],
    ['a missing archive', (f: { archive: string }) => rmSync(f.archive), /is damaged/],
    [
      'an unreadable manifest',
      (f: { manifest: string }) => writeFileSync(f.manifest, '{"schemaVersion": 1'),
      /cannot be read \(.*manifest\.json/,
    ],
    [
      'a manifest whose root is not a state path',
      (f: { manifest: string }) => {
        const m = JSON.parse(readFileSync(f.manifest, 'utf8'));
        m.roots = [{ path: '/sandbox', type: 'dir' }];
        writeFileSync(f.manifest, JSON.stringify(m));
      },
      /not a state path/,
    ],
  ])('%s: refused before the sandbox is touched', async (_what, damage, re) => {
    const files = await interruptedRebuild();
    damage(files);
    const calls: string[] = [];
    const journal = readFileSync(join(home, 'journal', 'alpha.json'), 'utf8');
    const e = await rebuild(
      ctx(),
      { openshell: recordingOpenshell(calls), confirm: async () => true },
      { sandbox: 'alpha', resume: true },
    ).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(re);
    expect((e as Error).message).toContain('Nothing was changed');
    expect(calls.filter((c) => !c.startsWith('sandboxGet'))).toEqual([]);
    expect(readFileSync(join(home, 'journal', 'alpha.json'), 'utf8')).toBe(journal);
  });
});
