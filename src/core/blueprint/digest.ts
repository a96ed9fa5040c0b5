/**
 * The blueprint tree digest (product.md §6): SHA-256 over the sorted lines
 * `<relative path>\0<sha256 hex of the file>\n`. Hashing is computation, not I/O: the adapter
 * reads the files and hands their hashes in.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type FileHashes = Record<string, string>;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function treeDigest(files: FileHashes): string {
  const h = createHash('sha256');
  for (const path of Object.keys(files).sort()) h.update(`${path}\0${files[path]}\n`);
  return `sha256:${h.digest('hex')}`;
}

export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface FileDifference {
  path: string;
  change: 'modified' | 'added' | 'missing';
}

/** Files that differ between what was released and what is on disk, sorted by path. */
export function diffFiles(expected: FileHashes, actual: FileHashes): FileDifference[] {
  const out: FileDifference[] = [];
  const paths = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const path of [...paths].sort()) {
    const e = expected[path];
    const a = actual[path];
    if (e === undefined) out.push({ path, change: 'added' });
    else if (a === undefined) out.push({ path, change: 'missing' });
    else if (e !== a) out.push({ path, change: 'modified' });
  }
  return out;
}
