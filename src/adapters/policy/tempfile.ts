/**
 * The policy file handed to `openshell policy set`: a private folder (0700) holding one 0600 file,
 * removed as soon as OpenShell has read it. The policy is not secret, but other users on the host
 * have no business reading or swapping it between write and set.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FILE_MODE } from '../state/atomic.ts';

export async function withPolicyFile<T>(
  yaml: string,
  fn: (path: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'nemoclaw-policy-'));
  try {
    const path = join(dir, 'policy.yaml');
    await writeFile(path, yaml, { mode: FILE_MODE, flag: 'wx' });
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
