/**
 * Issue 18 item 7: no side effect before validation. `rebuild --resume` and `onboard --resume`
 * read and check every state file they need before their first change, and name a damaged one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSnapshot } from '../../../src/adapters/snapshot/create.ts';
import { registryStore } from '../../../src/adapters/state/registry-store.ts';
import { newJournal } from '../../../src/core/rebuild/journal.ts';
import { emptyRegistry, withSandbox } from '../../../src/core/registry/schema.ts';
import { runCli } from '../../helpers/cli.ts';
import { seedOpenclaw, SOURCE } from '../../helpers/snapshot-fixtures.ts';
let home: string;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'nc-resume-'));
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

describe('doctor names damaged state files', () => {
  it('a damaged journal and an unreadable manifest are each named', async () => {
    const files = await interruptedRebuild();
    writeFileSync(files.manifest, '{"schemaVersion": 1, "id": 5}');
    const j = join(home, 'journal', 'alpha.json');
    writeFileSync(
      j,
      '{"schemaVersion": 1, "kind": "rebuild", "sandbox": "alpha", "steps": {"bogus": {}}}',
    );
    const r = await runCli(['doctor', '--json'], {
      NEMOCLAW_HOME: home,
      NEMOCLAW_OPENSHELL_BIN: '/nonexistent/openshell',
      DOCKER_HOST: 'unix:///nonexistent.sock',
    });
    expect(r.stdout).toContain(`state.damaged.${files.manifest}`);
    expect(r.stdout).toContain(`state.damaged.${j}`);
  });
});
