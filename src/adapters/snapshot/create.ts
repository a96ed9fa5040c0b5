/**
 * Snapshot create's I/O (the orchestration is src/usecases/snapshot-create.ts): download a state
 * path into a private staging folder; walk the staged tree, stream-pack it
 * into `.<id>.tar.gz.tmp` hashing every file and the archive as they pass, fsync, rename to
 * `<id>.tar.gz`, and only then write `<id>.manifest.json`. A crash at any point leaves nothing that
 * `list` shows, so a listed snapshot always verifies.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { NemoclawError } from '../../core/errors.ts';
import { archivePathOf } from '../../core/snapshot/entries.ts';
import type { SkippedPath, SnapshotRoot } from '../../core/snapshot/manifest.ts';
import { snapshotManifest } from '../../core/snapshot/save-plan.ts';
import { newSnapshotId, snapshotNameProblem } from '../../core/snapshot/selectors.ts';
import type { SandboxEntry } from '../../core/registry/schema.ts';
import type { OpenshellClient } from '../openshell/types.ts';
import { ensurePrivateDir } from '../state/atomic.ts';
import { withLock } from '../state/lock.ts';
import { VERSION } from '../../version.ts';
import { packEntries } from './pack.ts';
import {
  listSnapshots,
  removeStaleStaging,
  sandboxSnapshotDir,
  snapshotFiles,
  writeManifest,
  type SnapshotRecord,
} from './store.ts';
import { walkStateTree } from './tree.ts';

/** What the manifest records about the sandbox (a registry entry has all of it). */
export type SnapshotSource = Pick<
  SandboxEntry,
  'name' | 'agent' | 'blueprintVersion' | 'blueprintDigest' | 'presets' | 'customPolicies'
>;

export interface WriteSnapshotOptions {
  snapshotsDir: string;
  source: SnapshotSource;
  /** A folder holding the state paths at their archive paths (`sandbox/.openclaw/...`). */
  treeDir: string;
  /** The state paths present in `treeDir`. */
  roots: SnapshotRoot[];
  /** Paths already known to be skipped (absent, failed to download). */
  skipped?: SkippedPath[];
  name?: string;
  now?: Date;
  /** Test seam for a fixed id. */
  id?: string;
}

export interface CreateSnapshotResult {
  record: SnapshotRecord;
  /** What was not saved, and why. `failed` entries mean the snapshot is incomplete. */
  skipped: SkippedPath[];
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  try {
    await fh?.sync();
  } catch {
    // Some filesystems refuse fsync on a folder; the rename is still atomic.
  } finally {
    await fh?.close();
  }
}

async function checkName(snapshotsDir: string, sandbox: string, name: string | undefined) {
  if (name === undefined) return;
  const { snapshots } = await listSnapshots(snapshotsDir, sandbox);
  const problem = snapshotNameProblem(name, snapshots);
  if (problem) {
    throw new NemoclawError('invalid', `Cannot name the snapshot "${name}": ${problem}.`, {
      hint: `Pick another name, or see existing ones with: nemoclaw ${sandbox} snapshot list`,
    });
  }
}

/** Packs a staged tree into a listed snapshot. The archive layer's entry point for a local folder. */
export async function writeSnapshot(o: WriteSnapshotOptions): Promise<CreateSnapshotResult> {
  const sandbox = o.source.name;
  const dir = sandboxSnapshotDir(o.snapshotsDir, sandbox);
  await ensurePrivateDir(o.snapshotsDir);
  await ensurePrivateDir(dir);
  // A create killed earlier left its partial archive here: reclaimed now (issue 18 item 8).
  await removeStaleStaging(dir);
  await checkName(o.snapshotsDir, sandbox, o.name);
  const now = o.now ?? new Date();
  const id = o.id ?? newSnapshotId(now, randomBytes(3).toString('hex'));
  const paths = snapshotFiles(dir, id);
  const walk = await walkStateTree(
    o.treeDir,
    o.roots.map((r) => archivePathOf(r.path)),
  );
  let renamed = false;
  try {
    const archive = await packEntries(walk.entries, paths.tmpArchive);
    const manifest = snapshotManifest({
      id,
      name: o.name,
      now,
      nemoclawVersion: VERSION,
      source: o.source,
      roots: o.roots,
      entries: walk.entries,
      skipped: [...(o.skipped ?? []), ...walk.skipped],
      archive: { file: basename(paths.archive), size: archive.size, sha256: archive.sha256 },
    });
    await withLock(paths.lock, { what: `the snapshots of ${sandbox}` }, async () => {
      // Checked again under the lock: another create may have taken the name meanwhile.
      await checkName(o.snapshotsDir, sandbox, o.name);
      await rename(paths.tmpArchive, paths.archive);
      renamed = true;
      await fsyncDir(dir);
      await writeManifest(paths.manifest, manifest);
    });
    return {
      record: {
        id,
        name: manifest.name,
        createdAt: manifest.createdAt,
        manifest,
        archivePath: paths.archive,
        manifestPath: paths.manifest,
      },
      skipped: manifest.skipped,
    };
  } catch (e) {
    // Neither file is a snapshot yet (no manifest names them), so removing them loses nothing.
    await rm(paths.tmpArchive, { force: true });
    if (renamed) await rm(paths.archive, { force: true });
    throw e;
  }
}

/**
 * Finds where a download landed. OpenShell writes a remote path into a local folder as
 * `<folder>/<basename>` (tar over SSH, like `docker cp`); if a build instead writes a folder's
 * contents, the folder itself is the copy.
 */
async function landed(dlDir: string, remote: string): Promise<string | undefined> {
  const entries = await readdir(dlDir);
  if (entries.length === 0) return undefined;
  const named = join(dlDir, basename(remote));
  if (entries.includes(basename(remote))) return named;
  return dlDir;
}

/** A private staging folder for one create, in the sandbox's snapshot folder; `tree` is empty. */
export async function openStaging(
  snapshotsDir: string,
  sandbox: string,
  name: string | undefined,
): Promise<{ staging: string; tree: string }> {
  const dir = sandboxSnapshotDir(snapshotsDir, sandbox);
  await ensurePrivateDir(snapshotsDir);
  await ensurePrivateDir(dir);
  // Fail on a bad name before downloading anything.
  await checkName(snapshotsDir, sandbox, name);
  await removeStaleStaging(dir);
  const staging = join(dir, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { mode: 0o700 });
  const tree = join(staging, 'tree');
  await mkdir(tree, { mode: 0o700 });
  return { staging, tree };
}

export { removeTree as removeStaging } from './tree.ts';

/**
 * Downloads one state path into the staging folder and moves it to its archive path in `tree`.
 * Returns its root, or undefined when nothing landed; a failed download throws.
 */
export async function downloadStatePath(
  openshell: Pick<OpenshellClient, 'sandboxDownload'>,
  sandbox: string,
  remote: string,
  staging: string,
  tree: string,
  n: number,
): Promise<SnapshotRoot | undefined> {
  const dl = join(staging, `dl-${n}`);
  await mkdir(dl, { mode: 0o700 });
  await openshell.sandboxDownload(sandbox, remote, dl);
  const got = await landed(dl, remote);
  if (!got) return undefined;
  const dest = join(tree, archivePathOf(remote));
  await mkdir(dirname(dest), { recursive: true, mode: 0o700 });
  await rename(got, dest);
  const st = await lstat(dest);
  return { path: remote, type: st.isDirectory() ? 'dir' : 'file' };
}
