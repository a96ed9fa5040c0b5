/** A rebuild's state on disk, for the tests that resume or inspect one. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSnapshot } from '../../src/adapters/snapshot/create.ts';
import { newJournal } from '../../src/core/rebuild/journal.ts';
import { seedOpenclaw, SOURCE } from './snapshot-fixtures.ts';

/**
 * A rebuild of `alpha` interrupted after its snapshot was taken and verified, before the delete:
 * the snapshot under `<home>/snapshots` and the journal under `<home>/journal`.
 */
export async function interruptedRebuild(
  home: string,
): Promise<{ archive: string; manifest: string }> {
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
