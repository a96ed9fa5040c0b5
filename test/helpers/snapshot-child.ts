// Child process for the kill test: writes snapshots of one tree in a loop until killed.
//   node test/helpers/snapshot-child.ts <treeDir> <snapshotsDir>
import { writeSnapshot } from '../../src/adapters/snapshot/create.ts';
import { SOURCE } from './snapshot-fixtures.ts';

const [treeDir, snapshotsDir] = process.argv.slice(2) as [string, string];
for (;;) {
  process.stdout.write('start\n');
  const r = await writeSnapshot({
    snapshotsDir,
    source: SOURCE,
    treeDir,
    roots: [
      { path: '/sandbox/.openclaw/workspace', type: 'dir' },
      { path: '/sandbox/.openclaw/memory', type: 'dir' },
    ],
  });
  process.stdout.write(`done ${r.record.id}\n`);
}
