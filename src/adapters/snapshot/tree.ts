/**
 * Local folder trees for snapshots: walking a staged copy of the state paths (hashing each file and
 * recording the exact metadata the archive will carry) and removing staging folders.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { chmod, lstat, open, readdir, readlink, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { linkTargetProblem } from '../../core/snapshot/entries.ts';
import type { SkippedPath, SnapshotFile } from '../../core/snapshot/manifest.ts';

const READ_CHUNK = 256 * 1024;

/**
 * One buffer per file, reused for every read: a read stream allocates a fresh chunk per read, and
 * that garbage (external memory, collected late) is what pushed peak RSS of a 1 GiB walk up.
 */
export async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return h.digest('hex');
}

/** A manifest entry plus what packing needs; a file's sha256 is filled in while it is packed. */
export interface WalkEntry extends SnapshotFile {
  abs: string;
  mtime: Date;
}

export interface WalkResult {
  /** Parents before children, siblings sorted: the order the archive is written in. */
  entries: WalkEntry[];
  skipped: SkippedPath[];
}

/**
 * Walks `treeDir/<root>` for each root (archive paths). Sockets, FIFOs, devices and links that
 * leave their state path are skipped with a reason rather than failing the whole snapshot: one odd
 * file must not cost the user every other file (user-pain-points item 2).
 */
export async function walkStateTree(
  treeDir: string,
  roots: readonly string[],
): Promise<WalkResult> {
  const entries: WalkEntry[] = [];
  const skipped: SkippedPath[] = [];

  const visit = async (rel: string, root: string): Promise<void> => {
    const abs = join(treeDir, rel);
    const st = await lstat(abs);
    const mode = st.mode & 0o777;
    if ((st.mode & 0o7000) !== 0) {
      skipped.push({
        path: `/${rel}`,
        reason: 'saved without its set-id or sticky bits (permission bits kept)',
        code: 'refused',
      });
    }
    if (st.isDirectory()) {
      // Our own staging copy: make it traversable so an unreadable folder is still saved.
      if ((st.mode & 0o700) !== 0o700) await chmod(abs, 0o700 | mode);
      entries.push({ path: rel, type: 'dir', size: 0, mode, abs, mtime: st.mtime });
      const names = (await readdir(abs)).sort();
      for (const n of names) await visit(posix.join(rel, n), root);
      return;
    }
    if (st.isFile()) {
      if ((st.mode & 0o400) === 0) await chmod(abs, 0o400 | mode);
      entries.push({ path: rel, type: 'file', size: st.size, mode, abs, mtime: st.mtime });
      return;
    }
    if (st.isSymbolicLink()) {
      const target = await readlink(abs);
      const problem =
        rel === root ? 'a state path that is itself a link' : linkTargetProblem(rel, target, root);
      if (problem) {
        skipped.push({ path: `/${rel}`, reason: `not saved: ${problem}`, code: 'refused' });
        return;
      }
      entries.push({ path: rel, type: 'symlink', size: 0, mode, target, abs, mtime: st.mtime });
      return;
    }
    const what = st.isFIFO()
      ? 'a FIFO'
      : st.isSocket()
        ? 'a socket'
        : st.isCharacterDevice() || st.isBlockDevice()
          ? 'a device'
          : 'an unsupported file type';
    skipped.push({ path: `/${rel}`, reason: `not saved: ${what}`, code: 'refused' });
  };

  for (const root of roots) await visit(root, root);
  return { entries, skipped };
}

/** Removes a tree even when parts of it are read-only to us (a staged copy of odd modes). */
export async function removeTree(path: string): Promise<void> {
  const loosen = async (p: string): Promise<void> => {
    let st: Stats;
    try {
      st = await lstat(p);
    } catch {
      return;
    }
    if (!st.isDirectory()) return;
    await chmod(p, 0o700).catch(() => {});
    const names = await readdir(p).catch(() => [] as string[]);
    for (const n of names) await loosen(join(p, n));
  };
  await rm(path, { recursive: true, force: true }).catch(async () => {
    await loosen(path);
    await rm(path, { recursive: true, force: true });
  });
}
