// Bundles src/ into dist/ with code splitting, so each command's modules load only when used.
// Startup-critical dependencies (commander, zod) are bundled; the rest stay external and load
// lazily from node_modules. Two passes: the second inlines the root help text that the first
// build renders, so `nemoclaw --help` needs no command framework at run time.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const BUNDLED = ['commander', 'zod'];
const external = Object.keys(pkg.dependencies).filter((d) => !BUNDLED.includes(d));

// zod/mini gets its own pre-bundled copy: the registry schema (on the `list` fast path) then loads
// ~50 KB instead of the core that full zod shares with it (~650 KB). Full zod loads only in the
// commands that use it.
// esbuild keeps one copy of a module, so zod/mini resolves into a private copy of the package:
// its modules are then distinct from full zod's and tree-shake on their own.
const zodCopyRoot = new URL('../.tmp/zod-mini-root/', import.meta.url).pathname;
rmSync(zodCopyRoot, { recursive: true, force: true });
cpSync(new URL('../node_modules/zod', import.meta.url).pathname, `${zodCopyRoot}node_modules/zod`, {
  recursive: true,
});
const separateZodMini = {
  name: 'separate-zod-mini',
  setup(b) {
    b.onResolve({ filter: /^zod\/mini$/ }, async (args) => {
      if (args.pluginData === 'zod-copy') return undefined;
      return b.resolve('zod/mini', {
        kind: args.kind,
        resolveDir: zodCopyRoot,
        pluginData: 'zod-copy',
      });
    });
  },
};

async function bundle(define) {
  rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
  await build({
    plugins: [separateZodMini],
    entryPoints: { nemoclaw: 'src/bin-nemoclaw.ts', nemohermes: 'src/bin-nemohermes.ts' },
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    external,
    banner: { js: '#!/usr/bin/env node' },
    define: { __NEMOCLAW_VERSION__: JSON.stringify(pkg.version), ...define },
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

await bundle({});
const help = execFileSync(process.execPath, ['dist/nemoclaw.js', '--help'], {
  encoding: 'utf8',
  env: { ...process.env, NO_COLOR: '1', NEMOCLAW_HOME: '/nonexistent-nemoclaw-build' },
});
await bundle({ __NEMOCLAW_ROOT_HELP__: JSON.stringify(help) });
