/**
 * Walks a local folder without following links (lstat), for validation before an upload, and
 * copies a validated tree into a private staging folder so what is uploaded is what was checked.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TreeEntry } from '../../core/ops/skill.ts';

export async function scanTree(root: string, limit = 5000): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  async function walk(rel: string): Promise<void> {
    const names = await readdir(join(root, rel));
    for (const n of names.sort()) {
      if (out.length >= limit) return;
      const r = rel ? `${rel}/${n}` : n;
      const st = await lstat(join(root, r));
      const kind = st.isSymbolicLink()
        ? 'symlink'
        : st.isDirectory()
          ? 'dir'
          : st.isFile()
            ? 'file'
            : 'other';
      out.push({ rel: r, kind, size: st.size, nlink: st.nlink });
      if (kind === 'dir') await walk(r);
    }
  }
  await walk('');
  return out;
}

/** Copies only the files and folders listed (already validated) from `root` into `dest`. */
export async function copyTree(root: string, entries: TreeEntry[], dest: string): Promise<void> {
  await mkdir(dest, { recursive: true, mode: 0o700 });
  for (const e of entries) {
    if (e.kind === 'dir') await mkdir(join(dest, e.rel), { recursive: true });
    else if (e.kind === 'file') {
      // O_NOFOLLOW: a file swapped for a link after the check is refused, not followed.
      const fh = await open(join(root, e.rel), constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        const exec = ((await fh.stat()).mode & 0o111) !== 0;
        await writeFile(join(dest, e.rel), await fh.readFile(), { mode: exec ? 0o755 : 0o644 });
      } finally {
        await fh.close();
      }
    }
  }
}
