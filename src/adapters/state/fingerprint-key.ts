/**
 * The key of the token fingerprints (core/ops/token-fingerprint.ts): 32 random bytes in
 * NEMOCLAW_HOME/token-fingerprint.key, mode 0600, made once. The key is written whole to a temp
 * file and then hard-linked into place: link(2) fails when the name exists, so two commands racing
 * to make it agree on the winner's key, and a kill never leaves a torn key behind.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir, FILE_MODE } from './atomic.ts';

const KEY_BYTES = 32;

export function fingerprintKeyPath(home: string): string {
  return join(home, 'token-fingerprint.key');
}

/** The key when there is one; undefined before the first channel token was fingerprinted. */
export async function readFingerprintKey(home: string): Promise<Buffer | undefined> {
  const b = await readFile(fingerprintKeyPath(home)).catch(() => undefined);
  if (b && b.length !== KEY_BYTES) {
    throw new Error(
      `${fingerprintKeyPath(home)} does not hold a ${KEY_BYTES}-byte key; move it aside and run the command again (channel tokens are then fingerprinted afresh).`,
    );
  }
  return b;
}

export async function fingerprintKey(home: string): Promise<Buffer> {
  const have = await readFingerprintKey(home);
  if (have) return have;
  await ensurePrivateDir(home);
  const path = fingerprintKeyPath(home);
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const key = randomBytes(KEY_BYTES);
  const fh = await open(tmp, 'wx', FILE_MODE);
  try {
    await fh.writeFile(key);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, path);
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return (await readFingerprintKey(home))!;
  } finally {
    await rm(tmp, { force: true });
  }
}
