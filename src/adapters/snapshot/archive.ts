/**
 * Snapshot archives checked against their manifest (writing is in pack.ts). Everything streams, so
 * memory does not grow with the size of the workspace. Nothing here talks to a sandbox; restore
 * and create call these on local folders.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { chmod, lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { NemoclawError } from '../../core/errors.ts';
import {
  archivePathOf,
  createEntryChecker,
  entryKind,
  normalizeEntryPath,
} from '../../core/snapshot/entries.ts';
import type { SnapshotFile, SnapshotManifest } from '../../core/snapshot/manifest.ts';
import { HashingPassThrough } from './pack.ts';
import { hashFile } from './tree.ts';

export async function hashArchive(path: string): Promise<{ sha256: string; size: number }> {
  const h = new HashingPassThrough();
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), h, async (src) => {
    for await (const _ of src) void _;
  });
  return { sha256: h.hash.digest('hex'), size: h.bytes };
}

const BLOCK = 512;
/** GNU tar pads an empty archive to one 10 KiB record; anything far larger is not "empty". */
const MAX_EMPTY_TAR = 1 << 20;

/**
 * True when the archive is a valid tar of no entries: gzip that inflates to nothing but
 * end-of-archive zero blocks (at least two, whole blocks). This is what an empty agent state packs
 * to (no state path exists yet, as on a freshly onboarded sandbox). The tar parser refuses such an
 * archive in strict mode (TAR_BAD_ARCHIVE, "Unrecognized archive format": it saw no entry), so the
 * readers below recognise it themselves. Stops at the first non-zero byte.
 */
export async function isEmptyTar(path: string): Promise<boolean> {
  let bytes = 0;
  try {
    await pipeline(createReadStream(path), createGunzip(), async (src) => {
      for await (const chunk of src as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > MAX_EMPTY_TAR || chunk.some((b) => b !== 0)) throw new Error('not empty');
      }
    });
  } catch {
    return false;
  }
  return bytes >= 2 * BLOCK && bytes % BLOCK === 0;
}

const MAX_LISTED = 8;

function integrity(snapshot: string, problems: string[], hint?: string): NemoclawError {
  const shown = problems.slice(0, MAX_LISTED).join('; ');
  const more = problems.length > MAX_LISTED ? ` (and ${problems.length - MAX_LISTED} more)` : '';
  return new NemoclawError(
    'integrity',
    `Snapshot ${snapshot} failed verification: ${shown}${more}.`,
    {
      hint:
        hint ??
        'Nothing was changed in the sandbox. Use another snapshot (nemoclaw <name> snapshot list) or delete this one.',
      detail: { problems: problems.slice(0, 50) },
    },
  );
}

/** The archive's size and sha256 must match the manifest before anything else reads it. */
export async function checkArchiveHash(path: string, m: SnapshotManifest): Promise<void> {
  let got: { sha256: string; size: number };
  try {
    got = await hashArchive(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw integrity(m.id, [`the archive ${path} is missing`]);
    }
    throw e;
  }
  const problems: string[] = [];
  if (got.size !== m.archive.size) {
    problems.push(`the archive is ${got.size} bytes, the manifest says ${m.archive.size}`);
  }
  if (got.sha256 !== m.archive.sha256) {
    problems.push(`archive sha256 ${got.sha256} does not match the manifest's ${m.archive.sha256}`);
  }
  if (problems.length > 0) throw integrity(m.id, problems);
}

interface EntryLike {
  path: string;
  type: string;
  linkpath?: string;
  size: number;
  mode?: number;
  header: { mode?: number };
}

function compareEntry(e: EntryLike, f: SnapshotFile | undefined, path: string): string[] {
  if (!f) return [`${path}: not in the manifest`];
  const out: string[] = [];
  const kind = entryKind(e.type);
  if (kind !== f.type)
    out.push(`${path}: a ${kind ?? e.type} in the archive, a ${f.type} in the manifest`);
  if (kind === 'file' && e.size !== f.size) {
    out.push(`${path}: ${e.size} bytes in the archive, ${f.size} in the manifest`);
  }
  const mode = (e.mode ?? e.header.mode ?? 0) & 0o7777;
  if (mode !== f.mode) {
    out.push(
      `${path}: mode ${mode.toString(8)} in the archive, ${f.mode.toString(8)} in the manifest`,
    );
  }
  if (kind === 'symlink' && e.linkpath !== f.target) out.push(`${path}: link target differs`);
  return out;
}

/**
 * Reads every entry of a hash-checked archive with the tar parser in strict mode: each header must
 * pass the entry rules and match the manifest (type, size, mode, link target), each file's content
 * must hash to the manifest's sha256, and every manifest entry must be present. Refuses with kind
 * `integrity`; a truncated or corrupt stream is refused the same way.
 */
export async function inspectArchive(path: string, m: SnapshotManifest): Promise<void> {
  const tar = await import('tar');
  const roots = m.roots.map((r) => archivePathOf(r.path));
  const expected = new Map(m.files.map((f) => [f.path, f]));
  const check = createEntryChecker(roots);
  const seen = new Set<string>();
  const problems: string[] = [];
  const pending: Promise<void>[] = [];
  // A snapshot of an empty state lists no files and its archive holds no entry.
  const nothing = m.files.length === 0 && (await isEmptyTar(path));
  try {
    if (!nothing)
      await tar.t({
        file: path,
        strict: true,
        // Sizes are bounded by the manifest below, so a high ratio (a zero-filled file) is legitimate.
        maxDecompressionRatio: Infinity,
        onReadEntry: (entry) => {
          const p = normalizeEntryPath(entry.path);
          const e = entry as unknown as EntryLike;
          const bad = check({
            path: entry.path,
            type: entry.type,
            linkpath: entry.linkpath,
            size: entry.size,
            mode: e.mode ?? e.header.mode ?? 0,
          });
          if (bad) {
            problems.push(`${p || '(empty path)'}: refused, ${bad}`);
            return;
          }
          const f = expected.get(p);
          const diff = compareEntry(e, f, p);
          seen.add(p);
          if (diff.length > 0) {
            problems.push(...diff);
            return;
          }
          if (f?.type === 'file') {
            const h = createHash('sha256');
            entry.on('data', (c: Buffer) => h.update(c));
            pending.push(
              new Promise<void>((resolve) => {
                entry.on('end', () => {
                  const got = h.digest('hex');
                  if (got !== f.sha256)
                    problems.push(`${p}: content sha256 does not match the manifest`);
                  resolve();
                });
              }),
            );
          }
        },
      });
    // Only after a complete parse has every entry ended; after a failed one, some never will.
    await Promise.all(pending);
  } catch (e) {
    problems.push(`the archive cannot be read (${(e as Error).message})`);
  }
  for (const f of m.files)
    if (!seen.has(f.path)) problems.push(`${f.path}: missing from the archive`);
  for (const r of roots)
    if (!expected.has(r)) problems.push(`/${r}: state path not in the file list`);
  if (problems.length > 0) throw integrity(m.id, problems);
}

/**
 * Extracts an inspected archive into `dest` (a fresh private folder), re-applying the entry rules
 * as a filter, then re-hashes the result against the manifest and sets folder modes last (so a
 * read-only folder does not stop its own files from being written).
 */
export async function extractArchive(
  path: string,
  m: SnapshotManifest,
  dest: string,
): Promise<void> {
  const tar = await import('tar');
  const roots = m.roots.map((r) => archivePathOf(r.path));
  const expected = new Map(m.files.map((f) => [f.path, f]));
  const check = createEntryChecker(roots);
  const refused: string[] = [];
  // A snapshot of an empty state (no files, no entries) has nothing to extract.
  const nothing = m.files.length === 0 && (await isEmptyTar(path));
  try {
    if (!nothing)
      await tar.x({
        file: path,
        cwd: dest,
        strict: true,
        preservePaths: false,
        preserveOwner: false,
        chmod: true,
        processUmask: 0,
        maxDecompressionRatio: Infinity,
        filter: (p, entry) => {
          const e = entry as unknown as EntryLike;
          const bad = check({
            path: p,
            type: e.type,
            linkpath: e.linkpath,
            size: e.size,
            mode: e.mode ?? 0,
          });
          const ok = !bad && expected.has(normalizeEntryPath(p));
          if (!ok) refused.push(`${p}: ${bad ?? 'not in the manifest'}`);
          else if (e.type === 'Directory') e.mode = (e.mode ?? 0o700) | 0o700;
          return ok;
        },
      });
  } catch (e) {
    throw integrity(m.id, [`extraction failed (${(e as Error).message})`]);
  }
  if (refused.length > 0) throw integrity(m.id, refused);
  await checkTree(dest, m);
}

/** The extracted tree must match the manifest exactly; folder modes are applied deepest first. */
export async function checkTree(dir: string, m: SnapshotManifest): Promise<void> {
  const problems: string[] = [];
  for (const f of m.files) {
    const abs = join(dir, f.path);
    let st: Stats;
    try {
      st = await lstat(abs);
    } catch {
      problems.push(`${f.path}: not extracted`);
      continue;
    }
    const kind = st.isFile()
      ? 'file'
      : st.isDirectory()
        ? 'dir'
        : st.isSymbolicLink()
          ? 'symlink'
          : 'other';
    if (kind !== f.type) {
      problems.push(`${f.path}: extracted as ${kind}, expected ${f.type}`);
      continue;
    }
    if (f.type === 'file') {
      if (st.size !== f.size) problems.push(`${f.path}: extracted size differs`);
      else if ((await hashFile(abs)) !== f.sha256)
        problems.push(`${f.path}: extracted content differs`);
      if ((st.mode & 0o777) !== f.mode) problems.push(`${f.path}: extracted mode differs`);
    } else if (f.type === 'symlink') {
      if ((await readlink(abs)) !== f.target) problems.push(`${f.path}: extracted link differs`);
    }
  }
  if (problems.length > 0) throw integrity(m.id, problems);
  const dirs = m.files
    .filter((f) => f.type === 'dir')
    .sort((a, b) => b.path.length - a.path.length);
  for (const d of dirs) await chmod(join(dir, d.path), d.mode);
}
