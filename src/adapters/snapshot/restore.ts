/**
 * Snapshot verify and restore. Verification never touches the sandbox: the archive's sha256 and
 * size, then every entry (rules and manifest match, content sha256). Restore verifies, extracts
 * into a private staging folder, re-checks the extracted tree, and only then runs the restore plan
 * against the sandbox.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { NemoclawError, errorMessage } from '../../core/errors.ts';
import {
  planRestore,
  rootsProblem,
  type RestorePlan,
  type RestoreStep,
} from '../../core/snapshot/restore-plan.ts';
import type { OpenshellClient } from '../openshell/types.ts';
import { checkArchiveHash, extractArchive, inspectArchive } from './archive.ts';
import { removeStaleStaging, type SnapshotRecord } from './store.ts';
import { removeTree } from './tree.ts';

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

/**
 * Recomputes everything; throws NemoclawError kind `integrity` on any mismatch, and on roots that
 * are not the agent's state paths (from its blueprint, never from the manifest).
 */
export async function verifySnapshot(
  r: SnapshotRecord,
  statePaths: readonly string[],
): Promise<VerifyReport> {
  checkRoots(r, statePaths);
  await checkArchiveHash(r.archivePath, r.manifest);
  await inspectArchive(r.archivePath, r.manifest);
  const files = r.manifest.files.filter((f) => f.type !== 'dir');
  return {
    id: r.id,
    archiveSha256: r.manifest.archive.sha256,
    files: files.length,
    bytes: files.reduce((n, f) => n + f.size, 0),
  };
}

export type RestoreClient = Pick<OpenshellClient, 'sandboxUpload' | 'sandboxExec'>;

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

async function run(client: RestoreClient, sandbox: string, argv: string[]): Promise<void> {
  const r = await client.sandboxExec(sandbox, argv, { timeoutSecs: 300 });
  if (r.exitCode !== 0) {
    throw new NemoclawError(
      'failed',
      `\`${argv.join(' ')}\` failed in sandbox ${sandbox} (exit ${r.exitCode}): ${r.stderr.trim() || r.stdout.trim()}`,
    );
  }
}

async function exists(client: RestoreClient, sandbox: string, path: string): Promise<boolean> {
  for (const flag of ['-e', '-L']) {
    const r = await client.sandboxExec(sandbox, ['test', flag, path], { timeoutSecs: 60 });
    if (r.exitCode === 0) return true;
  }
  return false;
}

async function applyStep(
  client: RestoreClient,
  sandbox: string,
  staged: string,
  s: RestoreStep,
): Promise<void> {
  const uploaded = posix.join(s.args.temp, posix.basename(s.target));
  const previous = posix.join(s.args.temp, `.previous-${posix.basename(s.target)}`);
  switch (s.kind) {
    case 'sandbox.prepare-temp':
      // A temp folder left by an earlier failed restore of the same snapshot is ours to replace.
      await run(client, sandbox, ['rm', '-rf', '--', s.args.temp]);
      await run(client, sandbox, ['mkdir', '-p', '--', s.args.temp]);
      return;
    case 'sandbox.upload':
      await client.sandboxUpload(sandbox, join(staged, s.args.local!), s.args.temp);
      // Checked before anything is replaced: an upload that landed elsewhere must not cost data.
      if (!(await exists(client, sandbox, uploaded))) {
        throw new NemoclawError(
          'failed',
          `The upload of ${s.target} did not arrive at ${uploaded}.`,
        );
      }
      return;
    case 'sandbox.replace': {
      // Move the current content aside (not delete) so a failed swap can be put back.
      const had = await exists(client, sandbox, s.target);
      if (had) await run(client, sandbox, ['mv', '--', s.target, previous]);
      try {
        await run(client, sandbox, ['mv', '--', uploaded, s.target]);
      } catch (e) {
        if (had) {
          // A failed undo must not hide where the sandbox's own content went.
          await run(client, sandbox, ['mv', '--', previous, s.target]).catch((re: unknown) => {
            throw new NemoclawError(
              'failed',
              `Could not replace ${s.target} (${errorMessage(e)}), and could not put its previous content back from ${previous} (${errorMessage(re)}).`,
              {
                hint: `Its previous content is kept at ${previous} in the sandbox; move it back (mv -- ${previous} ${s.target}) before the agent uses it.`,
                cause: e,
              },
            );
          });
        }
        throw e;
      }
      return;
    }
    case 'sandbox.remove-temp':
      await run(client, sandbox, ['rm', '-rf', '--', s.args.temp]);
      return;
  }
}

export async function restoreSnapshot(
  deps: { openshell: RestoreClient },
  o: RestoreOptions,
): Promise<RestoreResult> {
  const m = o.record.manifest;
  o.onProgress?.(`Verifying snapshot ${m.id}`);
  checkRoots(o.record, o.statePaths);
  await checkArchiveHash(o.record.archivePath, m);
  await inspectArchive(o.record.archivePath, m);
  const plan = planRestore(m, o.sandbox, o.statePaths);
  await removeStaleStaging(o.workDir);
  const staging = join(o.workDir, `.restore-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    await extractArchive(o.record.archivePath, m, staging);
    if (o.confirm && !(await o.confirm(plan))) {
      return { plan, restored: [], skipped: plan.skipped, applied: false };
    }
    const client = deps.openshell;
    const uploads = plan.steps.filter(
      (s) => s.kind === 'sandbox.prepare-temp' || s.kind === 'sandbox.upload',
    );
    const swaps = plan.steps.filter((s) => s.kind === 'sandbox.replace');
    const cleanup = plan.steps.filter((s) => s.kind === 'sandbox.remove-temp');
    try {
      for (const s of uploads) {
        if (s.kind === 'sandbox.upload') o.onProgress?.(`Uploading ${s.target}`);
        await applyStep(client, o.sandbox, staging, s);
      }
    } catch (e) {
      const left: string[] = [];
      for (const s of cleanup) {
        await applyStep(client, o.sandbox, staging, s).catch((ce: unknown) =>
          left.push(`${s.args.temp} (${errorMessage(ce)})`),
        );
      }
      const notRemoved = left.length
        ? ` (the uploaded temporary files could not be removed: ${left.join('; ')})`
        : '';
      throw new NemoclawError(
        'failed',
        `Restore of ${m.id} into ${o.sandbox} stopped while uploading: ${(e as Error).message}${notRemoved}`,
        {
          hint: 'No state path was replaced; the sandbox is as it was. Check `nemoclaw <name> status` and run the restore again.',
          cause: e,
        },
      );
    }
    const done: string[] = [];
    for (const s of swaps) {
      try {
        await applyStep(client, o.sandbox, staging, s);
        done.push(s.target);
      } catch (e) {
        throw new NemoclawError(
          'failed',
          `Restore of ${m.id} into ${o.sandbox} stopped at ${s.target}: ${(e as Error).message}`,
          {
            hint: `Replaced so far: ${done.join(', ') || 'none'}. ${s.target} was put back as it was (if that failed too, its previous content is in ${s.args.temp}). Run the restore again to finish; the snapshot is unchanged.`,
            cause: e,
          },
        );
      }
    }
    for (const s of cleanup) await applyStep(client, o.sandbox, staging, s);
    return { plan, restored: plan.restore, skipped: plan.skipped, applied: true };
  } finally {
    await removeTree(staging);
  }
}
