// Recomputes blueprint tree digests (product.md §6).
//   node scripts/blueprint-digest.ts          check: every folder has an index entry that matches
//   node scripts/blueprint-digest.ts --write  record digests of new or unreleased versions
// Released entries never change: --write refuses, and check fails, when one no longer matches.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  hashBlueprintTree,
  loadBlueprintFile,
  loadBlueprintIndex,
} from '../src/adapters/blueprint/files.ts';
import { diffFiles, treeDigest } from '../src/core/blueprint/digest.ts';
import type { BlueprintIndex } from '../src/core/blueprint/schema.ts';

const root = process.env.NEMOCLAW_PACKAGE_ROOT ?? join(import.meta.dirname, '..');
const write = process.argv.includes('--write');
const indexPath = join(root, 'blueprints', 'index.yaml');
let index: BlueprintIndex;
try {
  index = await loadBlueprintIndex(indexPath);
} catch {
  index = { versions: {} };
}
const folders = readdirSync(join(root, 'blueprints'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

let failures = 0;
let changed = false;
for (const v of folders) {
  const dir = join(root, 'blueprints', v);
  const bp = await loadBlueprintFile(dir);
  if (bp.version !== v) {
    console.error(`blueprints/${v}: blueprint.yaml says version ${bp.version}`);
    failures++;
    continue;
  }
  const files = await hashBlueprintTree(dir, root, bp);
  const digest = treeDigest(files);
  const entry = index.versions[v];
  if (entry && entry.digest === digest) {
    console.log(`${v}  ${digest}  ok`);
    continue;
  }
  if (entry?.released) {
    const d = diffFiles(entry.files, files)[0];
    console.error(
      `${v}: RELEASED digest changed: expected ${entry.digest}, actual ${digest}` +
        (d ? ` (first difference: ${d.path}, ${d.change})` : ''),
    );
    console.error(
      '  Released blueprints never change: restore the files, or release a new version.',
    );
    failures++;
    continue;
  }
  if (write) {
    index.versions[v] = { digest, released: entry?.released ?? false, files };
    changed = true;
    console.log(`${v}  ${digest}  written`);
  } else {
    console.error(
      entry
        ? `${v}: digest is ${digest}, index has ${entry.digest}`
        : `${v}: no digest in blueprints/index.yaml`,
    );
    console.error('  Run: node scripts/blueprint-digest.ts --write');
    failures++;
  }
}
for (const v of Object.keys(index.versions)) {
  if (!folders.includes(v)) {
    console.error(`${v}: listed in index.yaml but blueprints/${v}/ is missing`);
    failures++;
  }
}
if (changed) {
  writeFileSync(
    indexPath,
    `# Released entries never change (product.md §6). Recompute: node scripts/blueprint-digest.ts --write\n${stringify(index)}`,
  );
}
process.exitCode = failures > 0 ? 1 : 0;
