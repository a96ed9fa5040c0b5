/**
 * Snapshot verify and restore (issue 17 item 5: the orchestration lives in use cases; the adapter
 * does the tar and sandbox I/O). Verification never touches the sandbox: the archive's sha256 and
 * size, then every entry (rules and manifest match, content sha256). Restore verifies, extracts
 * into a private staging folder, and only then walks the restore plan (core/snapshot/
 * restore-plan.ts) against the sandbox with the one executor: every upload first, then the swaps,
 * then the clean-up.
 */
import { join } from 'node:path';
import type { RestoreClient } from '../adapters/snapshot/restore.ts';
import type { SnapshotRecord } from '../adapters/snapshot/store.ts';
import { NemoclawError } from '../core/errors.ts';
import type { Plan } from '../core/plan.ts';
import type { StepHandlers, StepWarning } from '../core/plan-run.ts';
import {
  planRestore,
  rootsProblem,
  type RestorePlan,
  type RestoreStep,
} from '../core/snapshot/restore-plan.ts';
import type { World } from '../world.ts';

export type { RestoreClient } from '../adapters/snapshot/restore.ts';

export interface VerifyReport {
  id: string;
  archiveSha256: string;
  files: number;
  bytes: number;
}

/** Refuses a manifest whose roots are not the agent's state paths (kind `integrity`). */
export function checkRoots(r: SnapshotRecord, statePaths: readonly string[]): void {
  const problem = rootsProblem(r.manifest, statePaths);
  if (problem)
    throw new NemoclawError('integrity', `Snapshot ${r.id} cannot be trusted: ${problem}.`, {
      hint: 'Its manifest was edited or made by hand; nothing was changed. Delete it with `nemoclaw <name> snapshot delete <id>`.',
      detail: { snapshot: r.id },
    });
}

async function checkArchive(world: Pick<World, 'snapshots'>, r: SnapshotRecord): Promise<void> {
  const { checkArchiveHash, inspectArchive } = await world.snapshots();
  await checkArchiveHash(r.archivePath, r.manifest);
  await inspectArchive(r.archivePath, r.manifest);
}

/**
 * Recomputes everything; throws NemoclawError kind `integrity` on any mismatch, and on roots that
 * are not the agent's state paths (from its blueprint, never from the manifest).
 */
export async function verifySnapshot(
  world: Pick<World, 'snapshots'>,
  r: SnapshotRecord,
  statePaths: readonly string[],
): Promise<VerifyReport> {
  checkRoots(r, statePaths);
  await checkArchive(world, r);
  const files = r.manifest.files.filter((f) => f.type !== 'dir');
  return {
    id: r.id,
    archiveSha256: r.manifest.archive.sha256,
    files: files.length,
    bytes: files.reduce((n, f) => n + f.size, 0),
  };
}

export interface RestoreOptions {
  record: SnapshotRecord;
  sandbox: string;
  /**
   * The agent's state paths from its blueprint: the only restore targets. A snapshot whose roots
   * are not among them is refused; those it lacks are reported as skipped.
   */
  statePaths: readonly string[];
  /** A private folder on the same disk for staging (the sandbox's snapshot folder). */
  workDir: string;
  onProgress?: (line: string) => void;
  /** A clean-up that failed after a stopped restore (the plan's best-effort steps). */
  onWarning?: (w: StepWarning) => void;
  /** Called after verification with the plan, before the sandbox is touched; false stops. */
  confirm?: (plan: RestorePlan) => Promise<boolean>;
}

export interface RestoreResult {
  plan: RestorePlan;
  restored: RestorePlan['restore'];
  skipped: RestorePlan['skipped'];
  /** False when `confirm` declined: nothing was changed. */
  applied: boolean;
}

export async function restoreSnapshot(
  deps: { openshell: RestoreClient } & Pick<World, 'snapshots'>,
  o: RestoreOptions,
): Promise<RestoreResult> {
  const m = o.record.manifest;
  o.onProgress?.(`Verifying snapshot ${m.id}`);
  checkRoots(o.record, o.statePaths);
  await checkArchive(deps, o.record);
  const plan = planRestore(m, o.sandbox, o.statePaths);
  const io = await deps.snapshots();
  const staging = await io.stageArchive(o.record.archivePath, m, o.workDir);
  try {
    if (o.confirm && !(await o.confirm(plan))) {
      return { plan, restored: [], skipped: plan.skipped, applied: false };
    }
    const c = deps.openshell;
    const done: string[] = [];
    const handlers: StepHandlers<RestoreStep> = {
      'openshell.sandbox.prepare-temp': (s) => io.prepareTemp(c, o.sandbox, s.args.temp),
      'openshell.sandbox.upload': (s) => {
        o.onProgress?.(`Uploading ${s.target}`);
        return io.uploadChecked(c, o.sandbox, join(staging, s.args.local!), s.args.temp, s.target);
      },
      'openshell.sandbox.replace': async (s) => {
        await io.swapIn(c, o.sandbox, s.args.temp, s.target);
        done.push(s.target);
      },
      'openshell.sandbox.remove-temp': (s) => io.removeTemp(c, o.sandbox, s.args.temp),
    };
    const { runPlan } = await import('../core/plan-run.ts');
    const phase = (kinds: RestoreStep['kind'][]): Plan<RestoreStep> => ({
      title: plan.title,
      steps: plan.steps.filter((s) => kinds.includes(s.kind)),
    });
    const cleanup = phase(['openshell.sandbox.remove-temp']);
    try {
      await runPlan(
        phase(['openshell.sandbox.prepare-temp', 'openshell.sandbox.upload']),
        handlers,
      );
    } catch (e) {
      // Nothing was replaced; the temp folders go, and a clean-up that fails is said, not hidden.
      const bestEffort = {
        ...cleanup,
        steps: cleanup.steps.map((s) => ({
          ...s,
          bestEffort: true as const,
          bestEffortReason: 'the restore already stopped; the folder holds only uploads',
        })),
      };
      await runPlan(bestEffort, handlers, { onWarning: o.onWarning });
      throw new NemoclawError(
        'failed',
        `Restore of ${m.id} into ${o.sandbox} stopped while uploading: ${(e as Error).message}`,
        {
          hint: 'No state path was replaced; the sandbox is as it was. Check `nemoclaw <name> status` and run the restore again.',
          cause: e,
        },
      );
    }
    let at: RestoreStep | undefined;
    try {
      await runPlan(phase(['openshell.sandbox.replace']), handlers, {
        onFailed: (f) => void (at = f.step),
      });
    } catch (e) {
      const s = at!;
      throw new NemoclawError(
        'failed',
        `Restore of ${m.id} into ${o.sandbox} stopped at ${s.target}: ${(e as Error).message}`,
        {
          hint: `Replaced so far: ${done.join(', ') || 'none'}. ${s.target} was put back as it was (if that failed too, its previous content is in ${s.args.temp}). Run the restore again to finish; the snapshot is unchanged.`,
          cause: e,
        },
      );
    }
    await runPlan(cleanup, handlers);
    return { plan, restored: plan.restore, skipped: plan.skipped, applied: true };
  } finally {
    await io.removeTree(staging);
  }
}
