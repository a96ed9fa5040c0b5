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
  'sandbox.prepare-temp' | 'sandbox.upload' | 'sandbox.replace' | 'sandbox.remove-temp';

export interface RestoreStep extends PlanStep<RestoreStepKind> {
  args: {
    /** sandbox.upload: the staged local path, relative to the staging tree. */
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

export function planRestore(
  m: SnapshotManifest,
  sandbox: string,
  /** The agent's current state paths, so that ones the snapshot lacks are reported. */
  expectedPaths: readonly string[] = [],
): RestorePlan {
  const roots = [...m.roots].sort((a, b) => a.path.localeCompare(b.path));
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
  for (const p of expectedPaths) {
    if (!covered.has(p)) {
      skipped.push({ path: p, reason: 'the snapshot does not include this path; left as it is' });
    }
  }
  const steps: RestoreStep[] = [];
  const temps = [...new Set(roots.map((r) => restoreTempDir(posix.dirname(r.path), m.id)))];
  for (const temp of temps) {
    steps.push({
      kind: 'sandbox.prepare-temp',
      target: temp,
      cause: 'uploads land beside their state paths, so the swap is a rename',
      args: { temp },
    });
  }
  for (const r of roots) {
    const temp = restoreTempDir(posix.dirname(r.path), m.id);
    steps.push({
      kind: 'sandbox.upload',
      target: r.path,
      cause: `snapshot ${m.id} holds this state path`,
      args: { local: archivePathOf(r.path), temp },
    });
  }
  for (const r of roots) {
    const temp = restoreTempDir(posix.dirname(r.path), m.id);
    steps.push({
      kind: 'sandbox.replace',
      target: r.path,
      cause: 'every upload succeeded; the current content is replaced by the snapshot',
      args: { temp },
    });
  }
  for (const temp of temps) {
    steps.push({ kind: 'sandbox.remove-temp', target: temp, cause: 'clean up', args: { temp } });
  }
  return { title: `restore snapshot ${m.id} into ${sandbox}`, steps, restore, skipped };
}
