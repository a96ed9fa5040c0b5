// The measured side of scripts/bench-snapshot.ts: one snapshot write of a staged tree, reporting
// its time and this process's peak RSS as one JSON line. Bundled by the bench like the shipped CLI.
import { writeSnapshot } from '../src/adapters/snapshot/create.ts';

const [treeDir, snapshotsDir] = process.argv.slice(2) as [string, string];
const t0 = process.hrtime.bigint();
const r = await writeSnapshot({
  snapshotsDir,
  source: {
    name: 'bench',
    agent: 'openclaw',
    blueprintVersion: '0.1.0',
    blueprintDigest: `sha256:${'0'.repeat(64)}`,
    presets: [],
    customPolicies: [],
  },
  treeDir,
  roots: [
    { path: '/sandbox/.openclaw/workspace', type: 'dir' },
    { path: '/sandbox/.openclaw/memory', type: 'dir' },
  ],
});
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(
  `${JSON.stringify({
    seconds,
    peakMb: process.resourceUsage().maxRSS / 1024,
    archiveBytes: r.record.manifest.archive.size,
  })}\n`,
);
