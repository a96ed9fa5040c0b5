/**
 * Where snapshots live: `NEMOCLAW_HOME/snapshots/<sandbox>/<id>.tar.gz` and `<id>.manifest.json`
 * (product.md §5). The manifest is written last, so only a complete archive is ever listed; an
 * archive without a manifest, or a leftover `.tmp`, is a crashed create and is ignored (never
 * deleted: only `snapshot delete` deletes).
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NemoclawError } from '../../core/errors.ts';
import { numberSnapshots, selectSnapshot, type Numbered } from '../../core/snapshot/selectors.ts';
import type { SnapshotManifest } from '../../core/snapshot/manifest.ts';
import { writeFileAtomic } from '../state/atomic.ts';
import { withLock } from '../state/lock.ts';
import { findLitterIn, removeLitter, tmpArchiveName } from './litter.ts';

export interface SnapshotRecord {
  id: string;
  name: string | null;
  createdAt: string;
  manifest: SnapshotManifest;
  archivePath: string;
  manifestPath: string;
}

/** A manifest that cannot be read: reported, kept, and left out of selection. */
export interface UnreadableManifest {
  manifestPath: string;
  problem: string;
}

export function sandboxSnapshotDir(snapshotsDir: string, sandbox: string): string {
  return join(snapshotsDir, sandbox);
}

export function snapshotFiles(dir: string, id: string) {
  return {
    archive: join(dir, `${id}.tar.gz`),
    manifest: join(dir, `${id}.manifest.json`),
    tmpArchive: join(dir, tmpArchiveName(id)),
    lock: join(dir, '.lock'),
  };
}

export async function readManifestFile(
  path: string,
): Promise<{ ok: true; manifest: SnapshotManifest } | { ok: false; problem: string }> {
  const { parseManifest } = await import('../../core/snapshot/manifest.ts');
  const { INPUT_LIMITS } = await import('../../core/limits.ts');
  let raw: unknown;
  try {
    const size = (await stat(path)).size;
    if (size > INPUT_LIMITS.manifestBytes)
      return {
        ok: false,
        problem: `${size} bytes, more than the ${INPUT_LIMITS.manifestBytes} a manifest may have`,
      };
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    return { ok: false, problem: `not readable JSON (${(e as Error).message})` };
  }
  return parseManifest(raw);
}

export async function listSnapshots(
  snapshotsDir: string,
  sandbox: string,
): Promise<{ snapshots: Numbered<SnapshotRecord>[]; unreadable: UnreadableManifest[] }> {
  const dir = sandboxSnapshotDir(snapshotsDir, sandbox);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { snapshots: [], unreadable: [] };
    throw e;
  }
  const records: SnapshotRecord[] = [];
  const unreadable: UnreadableManifest[] = [];
  for (const n of names.sort()) {
    if (n.startsWith('.') || !n.endsWith('.manifest.json')) continue;
    const manifestPath = join(dir, n);
    const r = await readManifestFile(manifestPath);
    if (!r.ok) {
      unreadable.push({ manifestPath, problem: r.problem });
      continue;
    }
    const m = r.manifest;
    if (`${m.id}.manifest.json` !== n || m.sandbox !== sandbox) {
      unreadable.push({
        manifestPath,
        problem: 'its id or sandbox does not match its file name or folder',
      });
      continue;
    }
    records.push({
      id: m.id,
      name: m.name,
      createdAt: m.createdAt,
      manifest: m,
      manifestPath,
      archivePath: join(dir, m.archive.file),
    });
  }
  return { snapshots: numberSnapshots(records), unreadable };
}

export async function resolveSnapshot(
  snapshotsDir: string,
  sandbox: string,
  selector: string | undefined,
): Promise<Numbered<SnapshotRecord>> {
  const { snapshots } = await listSnapshots(snapshotsDir, sandbox);
  const sel = selectSnapshot(snapshots, selector);
  if (!sel.ok) {
    throw new NemoclawError(
      sel.kind,
      `No snapshot of ${sandbox} matches "${selector ?? 'latest'}": ${sel.problem}.`,
      { hint: `See the snapshots with: nemoclaw ${sandbox} snapshot list` },
    );
  }
  return sel.snapshot;
}

export async function writeManifest(path: string, m: SnapshotManifest): Promise<void> {
  const { SnapshotManifestSchema } = await import('../../core/snapshot/manifest.ts');
  // Validate before writing: never leave a manifest on disk that a reader would refuse.
  const checked = SnapshotManifestSchema.parse(m);
  await writeFileAtomic(path, `${JSON.stringify(checked, null, 2)}\n`);
}

/** Removes the manifest first, so a crash half-way leaves an unlisted archive, never a dangling manifest. */
export async function deleteSnapshotFiles(r: SnapshotRecord): Promise<void> {
  const lock = join(dirname(r.manifestPath), '.lock');
  await withLock(lock, { what: `the snapshots of ${r.manifest.sandbox}` }, async () => {
    await rm(r.manifestPath, { force: true });
    await rm(r.archivePath, { force: true });
  });
}

/**
 * What killed creates and restores left here (partial archives, staging folders of a process that
 * is gone; see litter.ts): reclaimed by the next create or restore. Nothing of a live process.
 */
export async function removeStaleStaging(dir: string): Promise<void> {
  await removeLitter(await findLitterIn(dir, ''));
}
