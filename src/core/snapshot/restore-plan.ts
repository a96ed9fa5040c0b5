/**
 * The restore plan (house style 4–5): which state paths are replaced, how, and what is skipped and
 * why. Uploads all go to a temporary folder beside each state path first; only when every upload
 * has arrived is each path swapped in (the current one renamed aside, the upload renamed in — same
 * filesystem — and put back if that fails), so a failed upload leaves the sandbox's state exactly
 * as it was. The temp folder, with the previous content, is removed last. Pure.
 */
import { posix } from 'node:path';
import type { Plan, PlanStep } from '../plan.ts';
import { archivePathOf } from './entries.ts';
import type { SnapshotManifest } from './manifest.ts';

export type RestoreStepKind =
  | 'openshell.sandbox.prepare-temp'
  | 'openshell.sandbox.upload'
  | 'openshell.sandbox.replace'
  | 'openshell.sandbox.remove-temp';

export interface RestoreStep extends PlanStep<RestoreStepKind> {
  args: {
    /** openshell.sandbox.upload: the staged local path, relative to the staging tree. */
    local?: string;
    /** The temporary folder in the sandbox. */
    temp: string;
  };
}

export interface RestoreSkip {
  path: string;
  reason: string;
}

export interface RestorePlan extends Plan<RestoreStep> {
  /** State paths that will be replaced, with what the snapshot holds for each. */
  restore: { path: string; type: 'file' | 'dir'; files: number; bytes: number }[];
  skipped: RestoreSkip[];
}

export function restoreTempDir(parent: string, snapshotId: string): string {
  return posix.join(parent, `.nemoclaw-restore-${snapshotId}`);
}

/**
 * Why a manifest's roots cannot be restored into an agent whose blueprint names `statePaths`, or
 * undefined. The manifest is not trusted: every root must be one of the agent's state paths,
 * exactly and once (a hand-made root of `/sandbox`, `/sandbox/.bashrc` or `/etc` is refused).
 */
export function rootsProblem(
  m: Pick<SnapshotManifest, 'roots'>,
  statePaths: readonly string[],
): string | undefined {
  const allowed = new Set(statePaths);
  const seen = new Set<string>();
  for (const r of m.roots) {
    if (!allowed.has(r.path))
      return `it names ${JSON.stringify(r.path.slice(0, 200))}, which is not a state path of the agent (${statePaths.join(', ')})`;
    if (seen.has(r.path)) return `it names the state path ${r.path} twice`;
    seen.add(r.path);
  }
  return undefined;
}

export function planRestore(
  m: SnapshotManifest,
  sandbox: string,
  /**
   * The agent's state paths from its blueprint: the only places a restore writes. A manifest
   * root that is not one of them is never a target (callers refuse such a manifest first).
   */
  statePaths: readonly string[],
): RestorePlan {
  const byPath = new Map(m.roots.map((r) => [r.path, r]));
  const roots = [...new Set(statePaths)]
    .filter((p) => byPath.has(p))
    .map((p) => ({ path: p, type: byPath.get(p)!.type }))
    .sort((a, b) => a.path.localeCompare(b.path));
  const restore = roots.map((r) => {
    const ap = archivePathOf(r.path);
    const inside = m.files.filter((f) => f.path === ap || f.path.startsWith(`${ap}/`));
    return {
      path: r.path,
      type: r.type,
      files: inside.filter((f) => f.type !== 'dir').length,
      bytes: inside.reduce((n, f) => n + f.size, 0),
    };
  });
  const skipped: RestoreSkip[] = m.skipped.map((s) => ({
    path: s.path,
    reason:
      s.code === 'absent'
        ? 'it was not in the sandbox when the snapshot was taken; left as it is'
        : `${s.reason} (when the snapshot was taken)`,
  }));
  const covered = new Set([...roots.map((r) => r.path), ...m.skipped.map((s) => s.path)]);
  for (const p of statePaths) {
    if (!covered.has(p)) {
      skipped.push({ path: p, reason: 'the snapshot does not include this path; left as it is' });
    }
  }
  const steps: RestoreStep[] = [];
  const temps = [...new Set(roots.map((r) => restoreTempDir(posix.dirname(r.path), m.id)))];
  for (const temp of temps) {
    steps.push({
      kind: 'openshell.sandbox.prepare-temp',
      target: temp,
      cause: 'uploads land beside their state paths, so the swap is a rename',
      args: { temp },
    });
  }
  for (const r of roots) {
    const temp = restoreTempDir(posix.dirname(r.path), m.id);
    steps.push({
      kind: 'openshell.sandbox.upload',
      target: r.path,
      cause: `snapshot ${m.id} holds this state path`,
      args: { local: archivePathOf(r.path), temp },
    });
  }
  for (const r of roots) {
    const temp = restoreTempDir(posix.dirname(r.path), m.id);
    steps.push({
      kind: 'openshell.sandbox.replace',
      target: r.path,
      cause: 'every upload succeeded; the current content is replaced by the snapshot',
      args: { temp },
    });
  }
  for (const temp of temps) {
    steps.push({
      kind: 'openshell.sandbox.remove-temp',
      target: temp,
      cause: 'clean up',
      args: { temp },
    });
  }
  return { title: `restore snapshot ${m.id} into ${sandbox}`, steps, restore, skipped };
}
