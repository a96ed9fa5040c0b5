// Packs nemoclaw with its runtime dependencies inside the tarball (npm bundleDependencies), for
// air-gapped hosts: `install.sh --package nemoclaw-<v>-bundled.tgz` then needs no registry.
//   node scripts/pack-bundled.mjs [destination folder]   (run `npm run build` first)
// The published package stays lean; this is an extra artefact a release can attach.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const dest = resolve(process.argv[2] ?? root);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (!existsSync(join(root, 'dist', 'nemoclaw.js'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(1);
}

const stage = join(root, '.tmp', 'pack-bundled');
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
for (const f of pkg.files) {
  if (existsSync(join(root, f))) cpSync(join(root, f), join(stage, f), { recursive: true });
}
// The runtime dependency closure, exactly as the lockfile resolved it. Optional dependencies stay
// out: they are native speed-ups (ssh2's cpu-features) whose build needs a compiler, and a bundled
// dependency's failed build is fatal where an optional one's is not.
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const paths = Object.entries(lock.packages)
  .filter(([p, e]) => p.startsWith('node_modules/') && !e.dev && !e.optional && !e.devOptional)
  .map(([p]) => p);
for (const p of paths) {
  const target = join(stage, p);
  if (!existsSync(target)) cpSync(join(root, p), target, { recursive: true, dereference: true });
}
// Neither dev dependencies nor build scripts mean anything to an installed bundle.
const rest = { ...pkg };
delete rest.devDependencies;
delete rest.scripts;
writeFileSync(
  join(stage, 'package.json'),
  `${JSON.stringify({ ...rest, bundleDependencies: Object.keys(pkg.dependencies) }, null, 2)}\n`,
);
const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', stage], {
  cwd: stage,
  encoding: 'utf8',
})
  .trim()
  .split('\n')
  .pop();
const out = join(dest, `nemoclaw-${pkg.version}-bundled.tgz`);
mkdirSync(dest, { recursive: true });
renameSync(join(stage, name), out);
rmSync(stage, { recursive: true, force: true });
console.log(out);
