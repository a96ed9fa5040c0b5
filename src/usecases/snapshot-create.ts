/**
 * Snapshot create (issue 17 item 5: the orchestration lives in use cases). Which state paths are
 * saved and how a failed download is recorded is core/snapshot/save-plan.ts; the adapter downloads,
 * packs and writes (src/adapters/snapshot/create.ts). A path that cannot be downloaded is recorded
 * as skipped with its reason, never dropped: `failed` entries mean the snapshot is incomplete.
 */
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { CreateSnapshotResult, SnapshotSource } from '../adapters/snapshot/create.ts';
import { absent, downloadSkip, pathsToSave } from '../core/snapshot/save-plan.ts';
import type { SkippedPath, SnapshotRoot } from '../core/snapshot/manifest.ts';
import type { World } from '../world.ts';

export interface CreateSnapshotOptions {
  snapshotsDir: string;
  source: SnapshotSource;
  /** Absolute state paths in the sandbox (the blueprint's `state_paths` for the agent). */
  statePaths: readonly string[];
  name?: string;
  now?: Date;
  /** Progress lines for stderr. */
  onProgress?: (line: string) => void;
}

/** Downloads every state path and writes the snapshot. */
export async function createSnapshot(
  deps: { openshell: Pick<OpenshellClient, 'sandboxDownload'> } & Pick<World, 'snapshots'>,
  o: CreateSnapshotOptions,
): Promise<CreateSnapshotResult> {
  const io = await deps.snapshots();
  const sandbox = o.source.name;
  const { staging, tree } = await io.openStaging(o.snapshotsDir, sandbox, o.name);
  try {
    const roots: SnapshotRoot[] = [];
    const skipped: SkippedPath[] = [];
    for (const [n, remote] of pathsToSave(o.statePaths).entries()) {
      o.onProgress?.(`Downloading ${remote}`);
      let root: SnapshotRoot | undefined;
      try {
        root = await io.downloadStatePath(deps.openshell, sandbox, remote, staging, tree, n);
      } catch (e) {
        skipped.push(downloadSkip(remote, e));
        continue;
      }
      if (root) roots.push(root);
      else skipped.push(absent(remote));
    }
    o.onProgress?.('Packing the archive');
    return await io.writeSnapshot({
      snapshotsDir: o.snapshotsDir,
      source: o.source,
      treeDir: tree,
      roots,
      skipped,
      name: o.name,
      now: o.now,
    });
  } finally {
    await io.removeStaging(staging);
  }
}
