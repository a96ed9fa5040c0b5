/**
 * No import cycles in src/, counting every kind of import: `import type`, re-exports and dynamic
 * `import()`. ESLint's import-x/no-cycle (eslint.config.js) checks the value imports as you edit;
 * it does not follow `import type`, so a cycle made only of types (the kind issue 17 lists) is caught here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const SRC = join(ROOT, 'src');

// Cycles tolerated for now: none. Each entry would be the sorted set of files of one cycle.
const KNOWN: string[][] = [];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** Each file's relative imports of other .ts files (static, type-only, re-exports and dynamic). */
function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(f, 'utf8'), true, true);
    const deps = importedFiles
      .map((i) => i.fileName)
      .filter((s) => s.startsWith('.') && s.endsWith('.ts'))
      .map((s) => resolve(dirname(f), s));
    graph.set(f, [...new Set(deps)]);
  }
  return graph;
}

/** The strongly connected components with a cycle in them (Tarjan), each sorted. */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/** The cycles left in a component once the known cycles' edges are taken out. */
function unexplained(scc: string[], graph: Map<string, string[]>): string[][] {
  const known = new Set(KNOWN.map((c) => c.join(' ')));
  // Drop the edges of the known two-file cycles, then see whether the rest still closes a cycle.
  const rest = new Map<string, string[]>();
  for (const a of scc)
    rest.set(
      a,
      (graph.get(a) ?? []).filter((b) => scc.includes(b) && !known.has([a, b].sort().join(' '))),
    );
  return cyclesOf(rest);
}

describe('import cycles in src/', () => {
  it('finds a cycle when there is one, and none in a chain', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cyclesOf(g)).toEqual([['a', 'b', 'c']]);
    expect(
      cyclesOf(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('has none, type-only and dynamic imports included (except the known ones being removed)', () => {
    const abs = importGraph(sourceFiles(SRC));
    const graph = new Map(
      [...abs].map(([k, v]) => [relative(ROOT, k), v.map((d) => relative(ROOT, d))]),
    );
    const found = cyclesOf(graph).flatMap((scc) => unexplained(scc, graph));
    expect(found).toEqual([]);
  });
});
