/**
 * A unified-style line diff, for `--dry-run`: policies are a few hundred lines, so a plain LCS
 * table (after trimming the common head and tail) is fast enough and easy to trust.
 */

export interface DiffOptions {
  fromLabel?: string;
  toLabel?: string;
  context?: number;
}

type Op = { t: ' ' | '-' | '+'; line: string; a: number; b: number };

function splitLines(s: string): string[] {
  if (s === '') return [];
  const lines = s.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function diffOps(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const n = am.length;
  const m = bm.length;
  // lcs[i][j] = length of the LCS of am[i..] and bm[j..]
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] =
        am[i] === bm[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  for (let k = 0; k < head; k++) ops.push({ t: ' ', line: a[k]!, a: k, b: k });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && am[i] === bm[j]) {
      ops.push({ t: ' ', line: am[i]!, a: head + i, b: head + j });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // Removals before additions, as diff(1) prints them.
      ops.push({ t: '-', line: am[i]!, a: head + i, b: head + j });
      i++;
    } else {
      ops.push({ t: '+', line: bm[j]!, a: head + i, b: head + j });
      j++;
    }
  }
  for (let k = 0; k < tail; k++) {
    ops.push({
      t: ' ',
      line: a[a.length - tail + k]!,
      a: a.length - tail + k,
      b: b.length - tail + k,
    });
  }
  return ops;
}

/** The diff of two texts; an empty string when they are equal. */
export function unifiedDiff(before: string, after: string, o: DiffOptions = {}): string {
  const ctx = o.context ?? 3;
  const ops = diffOps(splitLines(before), splitLines(after));
  if (ops.every((op) => op.t === ' ')) return '';
  const out = [`--- ${o.fromLabel ?? 'before'}`, `+++ ${o.toLabel ?? 'after'}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.t === ' ') {
      k++;
      continue;
    }
    // A hunk: from `ctx` lines before this change to `ctx` lines after the last nearby change.
    const start = Math.max(0, k - ctx);
    let end = k;
    let lastChange = k;
    while (end < ops.length && end - lastChange <= ctx * 2) {
      if (ops[end]!.t !== ' ') lastChange = end;
      end++;
    }
    end = Math.min(ops.length, lastChange + ctx + 1);
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((op) => op.t !== '+').length;
    const bCount = hunk.filter((op) => op.t !== '-').length;
    const aStart = hunk[0]!.a + (aCount > 0 ? 1 : 0);
    const bStart = hunk[0]!.b + (bCount > 0 ? 1 : 0);
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const op of hunk) out.push(`${op.t}${op.line}`);
    k = end;
  }
  return out.join('\n');
}
