/**
 * The I/O of a snapshot restore: staging an archive on the host (extract into a private folder)
 * and the four things done in the sandbox (make the temp folder, upload and check it arrived,
 * swap a state path in, remove the temp folder). What to restore, in which order, and what a
 * failure means is decided in src/usecases/snapshot-restore.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { NemoclawError, errorMessage } from '../../core/errors.ts';
import type { SnapshotManifest } from '../../core/snapshot/manifest.ts';
import type { OpenshellClient } from '../openshell/types.ts';
import { extractArchive } from './archive.ts';
import { removeStaleStaging } from './store.ts';

export type RestoreClient = Pick<OpenshellClient, 'sandboxUpload' | 'sandboxExec'>;

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

/** Extracts the (verified) archive into a new private folder under `workDir`; returns its path. */
export async function stageArchive(
  archivePath: string,
  m: SnapshotManifest,
  workDir: string,
): Promise<string> {
  await removeStaleStaging(workDir);
  const staging = join(workDir, `.restore-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { recursive: true, mode: 0o700 });
  await extractArchive(archivePath, m, staging);
  return staging;
}

/** A temp folder left by an earlier failed restore of the same snapshot is ours to replace. */
export async function prepareTemp(c: RestoreClient, sandbox: string, temp: string): Promise<void> {
  await run(c, sandbox, ['rm', '-rf', '--', temp]);
  await run(c, sandbox, ['mkdir', '-p', '--', temp]);
}

/** Uploads a staged path into `temp`, and checks it arrived before anything is replaced. */
export async function uploadChecked(
  c: RestoreClient,
  sandbox: string,
  local: string,
  temp: string,
  target: string,
): Promise<void> {
  await c.sandboxUpload(sandbox, local, temp);
  const uploaded = posix.join(temp, posix.basename(target));
  if (!(await exists(c, sandbox, uploaded))) {
    throw new NemoclawError('failed', `The upload of ${target} did not arrive at ${uploaded}.`);
  }
}

/**
 * Swaps the upload in: the current content is moved aside (not deleted) so a failed swap can be
 * put back; a put-back that fails too is part of the error, never dropped.
 */
export async function swapIn(
  c: RestoreClient,
  sandbox: string,
  temp: string,
  target: string,
): Promise<void> {
  const uploaded = posix.join(temp, posix.basename(target));
  const previous = posix.join(temp, `.previous-${posix.basename(target)}`);
  const had = await exists(c, sandbox, target);
  if (had) await run(c, sandbox, ['mv', '--', target, previous]);
  try {
    await run(c, sandbox, ['mv', '--', uploaded, target]);
  } catch (e) {
    if (!had) throw e;
    const back = await run(c, sandbox, ['mv', '--', previous, target]).then(
      () => undefined,
      (b: unknown) => b,
    );
    if (back === undefined) throw e;
    // A failed undo must not hide where the sandbox's own content went.
    throw new NemoclawError(
      'failed',
      `Could not replace ${target} (${errorMessage(e)}), and could not put its previous content back from ${previous} (${errorMessage(back)}).`,
      {
        hint: `Its previous content is kept at ${previous} in the sandbox; move it back (mv -- ${previous} ${target}) before the agent uses it.`,
        cause: e,
      },
    );
  }
}

export async function removeTemp(c: RestoreClient, sandbox: string, temp: string): Promise<void> {
  await run(c, sandbox, ['rm', '-rf', '--', temp]);
}
