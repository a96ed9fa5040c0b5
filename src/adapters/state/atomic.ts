/**
 * Atomic file writes: a temp file in the same folder, fsync, rename, fsync of the folder.
 * A reader therefore sees the old file or the new one, never a torn one, even after SIGKILL or a
 * power cut.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, chmod } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pidAlive } from './pid.ts';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  // mkdir's mode is masked by umask and ignored for existing folders; set it explicitly.
  await chmod(dir, DIR_MODE);
}

export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode: number = FILE_MODE,
): Promise<void> {
  const dir = dirname(path);
  await ensurePrivateDir(dir);
  await writeThenRename(path, data, mode);
  await fsyncDir(dir);
  await removeDeadTemps(dir, basename(path));
}

/**
 * The core of every atomic write: a temp file beside `path` (named with the writer's PID, so a
 * killed writer's leftover can be told apart), written, set to `mode`, fsynced, then renamed over
 * `path`. The temp file is removed on any failure. The folder is left as it is.
 */
export async function writeThenRename(
  path: string,
  data: string | Uint8Array,
  mode: number = FILE_MODE,
): Promise<void> {
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.chmod(mode);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Temp files of writers that were killed before their rename: their PID no longer runs. */
async function removeDeadTemps(dir: string, base: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const prefix = `.${base}.`;
  for (const n of names) {
    if (!n.startsWith(prefix) || !n.endsWith('.tmp')) continue;
    const pid = Number(n.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || pidAlive(pid)) continue;
    await rm(join(dir, n), { force: true }).catch(() => {});
  }
}

async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  } finally {
    await fh?.close();
  }
}
