// Bundles src/ into dist/ with code splitting, so each command's modules load only when used.
// Startup-critical dependencies (commander, zod) are bundled; the rest stay external and load
// lazily from node_modules. Two passes: the second inlines the root help text that the first
// build renders, so `nemoclaw --help` needs no command framework at run time.
// The `list` fast path is one file of its own (dist/chunks/list-fast.js, see listBundle below).
import { build, transform } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

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
  const split = await build({
    plugins: [separateZodMini, fromListBundle],
    metafile: true,
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
  const list = await listBundle(split.metafile, define);
  sharedStateCheck(split.metafile, list.metafile);
  builtinsWithoutEsm('dist');
  await eagerFunctions(LIST_FILE);
  for (const entry of ['dist/nemoclaw.js', 'dist/nemohermes.js']) dropInertImports(entry);
}

/*
 * esbuild makes each entry import the chunk of its runtime helpers (`__export`, ...) even when the
 * entry uses none: one more module for `--version`. A bare import of a chunk that only declares
 * helpers does nothing (the chunks that use them import it themselves), so it goes.
 */
function dropInertImports(file) {
  const text = readFileSync(file, 'utf8');
  const out = text.replace(/^import "(\.\/chunks\/[\w-]+\.js)";\n/gm, (line, path) => {
    const chunk = readFileSync(join(dirname(file), path), 'utf8')
      .replace(/^#!.*\n/, '')
      .replace(/^\/\/# sourceMappingURL=.*$/m, '')
      .replace(/^export \{[^}]*\};$/m, '');
    const inert = chunk
      .split('\n')
      .every((l) => l === '' || /^var __\w+ = /.test(l) || /^(?: {2}|\};?$)/.test(l));
    return inert ? '\n' : line; // keep the line count (the source map)
  });
  if (out !== text) writeFileSync(file, out);
}

/*
 * `nemoclaw list` has the tightest startup budget (docs/performance.md), and each module node loads
 * costs it about 1.5 M instructions. So the list path is one file, dist/chunks/list-fast.js,
 * bundled apart from the split chunks: src/list-fast.ts with all it imports, and the two modules it
 * loads when there are sandboxes to ask about (LIST_PATH). Its other lazy imports (the full program
 * on any error, the zod schema for a registry the quick check declines, ...) load the split build's
 * own chunks.
 * A module in both builds runs twice, as two copies: harmless for pure code, not for module state
 * or classes. The redaction module's registered secrets and the error classes (`instanceof
 * NemoclawError`) must be one copy, so those (SHARED) are in the list bundle only and the split
 * build imports them from it. sharedStateCheck fails the build if another module with state or a
 * class comes to be in both.
 */
const root = resolve(new URL('..', import.meta.url).pathname);
const LIST_FILE = 'dist/chunks/list-fast.js';
const LIST_ENTRY = resolve(root, 'src/list-fast.ts');
const SHARED = ['src/core/redact.ts', 'src/core/errors.ts'].map((f) => resolve(root, f));
const LIST_PATH = ['src/usecases/inventory.ts', 'src/adapters/openshell/quick.ts'].map((f) =>
  resolve(root, f),
);

/** Split build: the list path and the SHARED modules come from the list bundle. */
const fromListBundle = {
  name: 'from-list-bundle',
  setup(b) {
    b.onResolve({ filter: /(?:list-fast|redact|errors)\.ts$/ }, async (args) => {
      if (args.pluginData === 'from-list-bundle') return undefined;
      const r = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'from-list-bundle',
      });
      if (r.path !== LIST_ENTRY && !SHARED.includes(r.path)) return undefined;
      // cli.ts is in the entry, dist/nemoclaw.js; every other module in dist/chunks/ (checked below).
      const fromEntry = args.importer === resolve(root, 'src/cli.ts');
      return { path: fromEntry ? './chunks/list-fast.js' : './list-fast.js', external: true };
    });
  },
};

async function listBundle(split, define) {
  for (const [out, o] of Object.entries(split.outputs)) {
    for (const i of o.imports) {
      if (
        i.external &&
        i.path.endsWith('list-fast.js') &&
        join(dirname(out), i.path) !== LIST_FILE
      ) {
        throw new Error(`${out} imports ${i.path}, which is not ${LIST_FILE}`);
      }
    }
  }
  // The split build's chunk of each module that it loads with import().
  const chunkOf = new Map();
  for (const [out, o] of Object.entries(split.outputs)) {
    if (o.entryPoint && dirname(out) === dirname(LIST_FILE))
      chunkOf.set(resolve(root, o.entryPoint), out);
  }
  const backIntoSplit = {
    name: 'back-into-split-chunks',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === 'back') return undefined;
        const r = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'back',
        });
        if (r.errors.length > 0 || LIST_PATH.includes(r.path)) return undefined;
        const chunk = chunkOf.get(r.path);
        if (!chunk) {
          return { errors: [{ text: `no chunk of ${relative(root, r.path)} in the split build` }] };
        }
        return { path: `./${basename(chunk)}`, external: true };
      });
    },
  };
  const { metafile } = await build({
    plugins: [backIntoSplit],
    stdin: {
      contents: [LIST_ENTRY, ...SHARED]
        .map((f, i) => `export ${i ? '*' : '{ listFast }'} from './${relative(root, f)}';`)
        .join('\n'),
      resolveDir: root,
      sourcefile: 'list-bundle.ts',
      loader: 'ts',
    },
    metafile: true,
    outfile: LIST_FILE,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    external,
    define: { __NEMOCLAW_VERSION__: JSON.stringify(pkg.version), ...define },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return { metafile };
}

/*
 * V8's compile cache (cli.ts) keeps the code V8 compiled when it compiled the file: the top level,
 * not the functions it compiled lazily, on their first call. Those are compiled again on every run:
 * for `list`, about 2 M instructions (a fifth of its budget). V8 compiles a function in parentheses
 * at once (its "PIFE" heuristic), so the list bundle's top-level functions become
 *   var name = (function name(...) { ... });
 * and are cached with the top level. esbuild prints a top-level function's closing brace alone at
 * the start of a line; the result is parsed and loaded here, so a wrong guess fails the build. A
 * `var` is set when its line runs (a declaration is hoisted): the load check catches a function
 * that the module's top level would call before its line.
 */
async function eagerFunctions(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(?:async )?function (\w+)\(/.exec(lines[i]);
    if (!m) continue;
    const end = lines.indexOf('}', i + 1);
    if (end < 0) throw new Error(`${file}: no end of function ${m[1]}`);
    lines[i] = `var ${m[1]} = (${lines[i]}`;
    lines[end] = '});';
    i = end;
  }
  const text = lines.join('\n');
  await transform(text, { format: 'esm', loader: 'js', logLevel: 'silent' }).catch((e) => {
    throw new Error(`${file}: eager functions broke it: ${e.message}`);
  });
  writeFileSync(file, text);
  execFileSync(process.execPath, [
    '--input-type=module',
    '-e',
    `await import(${JSON.stringify(pathToFileURL(resolve(file)).href)})`,
  ]);
}

/** No module with state or a class may be in both builds (two copies); see above. */
function sharedStateCheck(split, list) {
  const inSplit = new Set(Object.keys(split.inputs));
  for (const f of Object.keys(list.inputs)) {
    if (f.includes('node_modules/')) throw new Error(`the list bundle includes ${f}`);
    if (!inSplit.has(f)) continue;
    const src = readFileSync(resolve(root, f), 'utf8');
    const state =
      /^(?:export\s+)?(?:let|var|class)\s/m.test(src) ||
      /^(?:export\s+)?const\s+\w+(?:\s*:[^=]+)?\s*=\s*new\s+(?:Weak)?(?:Set|Map)\b(?:<[^>]*>)?\(\)/m.test(
        src,
      );
    if (state) {
      throw new Error(
        `${f} has module state or a class and is in both the split build and ${LIST_FILE}: ` +
          'add it to SHARED in scripts/build.mjs',
      );
    }
  }
}

/*
 * `import { readFileSync } from 'node:fs'` makes node build the ES module facade of `fs`, which
 * reads every export — and `fs.promises` then loads the whole promises API. That alone costs more
 * than the whole `--version` budget; `util` is as bad. process.getBuiltinModule (Node ≥ 22.3)
 * hands back the same objects without a facade, so the built chunks take their builtins from it:
 *   import { a, b as c } from "node:fs";  ->  const { a, b: c } = process.getBuiltinModule("node:fs");
 * An import binding exists before its module runs, a `const` only once it has: a chunk on an import
 * cycle could be called into early, so chunks on a cycle keep their imports as they are.
 */
function builtinsWithoutEsm(dir) {
  const files = readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(dir, f));
  const text = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
  const deps = new Map(
    files.map((f) => [
      f,
      [...text.get(f).matchAll(/^(?:import|export)\b[^;]*?["'](\.[^"']+)["'];$/gm)].map((m) =>
        join(f, '..', m[1]),
      ),
    ]),
  );
  const onCycle = (start) => {
    const seen = new Set();
    const stack = [...(deps.get(start) ?? [])];
    while (stack.length) {
      const f = stack.pop();
      if (f === start) return true;
      if (seen.has(f)) continue;
      seen.add(f);
      stack.push(...(deps.get(f) ?? []));
    }
    return false;
  };
  const builtin = (name) => name.startsWith('node:') || builtinModules.includes(name);
  const ident = '[A-Za-z_$][\\w$]*';
  for (const f of files) {
    if (onCycle(f)) continue;
    const hoisted = [];
    const body = text
      .get(f)
      .replace(/^import\s+([^;"']+?)\s+from\s+"([^"]+)";$/gm, (whole, clause, name) => {
        if (!builtin(name)) return whole;
        const from = `globalThis.process.getBuiltinModule(${JSON.stringify(name)})`;
        let m;
        if ((m = new RegExp(`^(?:\\*\\s+as\\s+)?(${ident})$`).exec(clause))) {
          hoisted.push(`const ${m[1]} = ${from};`);
        } else if ((m = new RegExp(`^(?:(${ident})\\s*,\\s*)?\\{([^}]*)\\}$`).exec(clause))) {
          const names = m[2]
            .replace(new RegExp(`(${ident})\\s+as\\s+(${ident})`, 'g'), '$1: $2')
            .replace(/\s+/g, ' ')
            .trim();
          hoisted.push(
            m[1] ? `const ${m[1]} = ${from}, {${names}} = ${m[1]};` : `const {${names}} = ${from};`,
          );
        } else {
          return whole;
        }
        return whole.replace(/[^\n]/g, ''); // keep the line count (the source map)
      });
    if (hoisted.length === 0) continue;
    // All of them on one new line before the code (after the #! line): a `const` is set only
    // when its line runs. The source map moves down one line with it.
    const at = body.startsWith('#!') ? body.indexOf('\n') + 1 : 0;
    writeFileSync(f, `${body.slice(0, at)}${hoisted.join(' ')}\n${body.slice(at)}`);
    try {
      const map = JSON.parse(readFileSync(`${f}.map`, 'utf8'));
      map.mappings = `;${map.mappings}`;
      writeFileSync(`${f}.map`, JSON.stringify(map));
    } catch {
      // no map
    }
  }
}

await bundle({});
const help = execFileSync(process.execPath, ['dist/nemoclaw.js', '--help'], {
  encoding: 'utf8',
  env: { ...process.env, NO_COLOR: '1', NEMOCLAW_HOME: '/nonexistent-nemoclaw-build' },
});
await bundle({ __NEMOCLAW_ROOT_HELP__: JSON.stringify(help) });
