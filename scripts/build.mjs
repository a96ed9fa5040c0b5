// Bundles src/ into dist/ with code splitting, so each command's modules load only when used.
// npm dependencies stay external: they load lazily from node_modules.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

const EXTERNAL = Object.keys(pkg.dependencies).filter((d) => !['commander'].includes(d));

await build({
  entryPoints: { nemoclaw: 'src/bin-nemoclaw.ts', nemohermes: 'src/bin-nemohermes.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Startup-critical dependencies are bundled (one file to parse, cached by V8); the rest load
  // lazily from node_modules.
  external: EXTERNAL,
  banner: { js: '#!/usr/bin/env node' },
  define: { __NEMOCLAW_VERSION__: JSON.stringify(pkg.version) },
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  logLevel: 'warning',
});
