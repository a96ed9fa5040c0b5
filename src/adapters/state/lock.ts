/**
 * A PID lock file created with O_EXCL. Unlike an mtime-based lock it can say who holds it, and a
 * lock left by a killed process is taken over at once (its PID is gone) instead of after a delay.
 * Taking over happens under a short second lock so that two waiters never both remove a live lock.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { NemoclawError } from '../../core/errors.ts';
import { ensurePrivateDir } from './atomic.ts';
import { dirname } from 'node:path';
import { pidAlive } from './pid.ts';

export interface LockInfo {
  pid: number;
  host: string;
  command: string;
  acquiredAt: string;
}

export interface Lock {
  path: string;
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** How long to wait for a live holder; 0 fails at once. */
  timeoutMs?: number;
  /** What to call the thing being locked, in messages. */
  what?: string;
  command?: string;
}

const STEAL_STALE_MS = 10_000;

export async function acquireLock(path: string, options: AcquireOptions = {}): Promise<Lock> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  await ensurePrivateDir(dirname(path));
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    command: options.command ?? process.argv.slice(2).join(' '),
    acquiredAt: new Date().toISOString(),
  };
  let delay = 5;
  for (;;) {
    if (await tryCreate(path, info)) return makeLock(path);
    const holder = await readHolder(path);
    if (holder === 'missing') continue;
    if (holder === 'unreadable' || !isAlive(holder)) {
      await stealIfStale(path);
      continue;
    }
    if (Date.now() >= deadline) {
      const what = options.what ?? 'this state';
      throw new NemoclawError(
        'conflict',
        `Another nemoclaw process (PID ${holder.pid}) holds the lock on ${what}.`,
        {
          hint: `Wait for it to finish (it runs: ${holder.command || 'unknown'}), or stop it with: kill ${holder.pid}`,
          detail: { lock: path, pid: holder.pid, since: holder.acquiredAt },
        },
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 100);
  }
}

/** Who holds a lock, if anyone alive does. */
export async function lockHolder(path: string): Promise<LockInfo | undefined> {
  const h = await readHolder(path);
  return typeof h === 'object' && isAlive(h) ? h : undefined;
}

async function tryCreate(path: string, info: LockInfo): Promise<boolean> {
  try {
    const fh = await open(path, 'wx', 0o600);
    try {
      await fh.writeFile(JSON.stringify(info));
    } finally {
      await fh.close();
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

async function readHolder(path: string): Promise<LockInfo | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  try {
    const v = JSON.parse(text) as LockInfo;
    if (typeof v.pid === 'number') return v;
  } catch {
    // A holder killed between create and write leaves an empty file; it may also still be writing.
  }
  try {
    const s = await stat(path);
    // Give a live writer a moment to fill it in.
    if (Date.now() - s.mtimeMs < 2000) return { pid: -1, host: '', command: '', acquiredAt: '' };
  } catch {
    return 'missing';
  }
  return 'unreadable';
}

function isAlive(info: LockInfo): boolean {
  if (info.pid === -1) return true; // being written right now
  if (info.host && info.host !== hostname()) return true; // cannot judge another host's PID
  return pidAlive(info.pid);
}

async function stealIfStale(path: string): Promise<void> {
  const guard = `${path}.steal`;
  const me: LockInfo = {
    pid: process.pid,
    host: hostname(),
    command: 'steal',
    acquiredAt: new Date().toISOString(),
  };
  if (!(await tryCreate(guard, me))) {
    try {
      const s = await stat(guard);
      if (Date.now() - s.mtimeMs > STEAL_STALE_MS) await rm(guard, { force: true });
    } catch {
      // gone already
    }
    await sleep(5);
    return;
  }
  try {
    // Re-check under the guard: someone may have taken over already.
    const holder = await readHolder(path);
    if (holder === 'unreadable' || (typeof holder === 'object' && !isAlive(holder))) {
      await rm(path, { force: true });
    }
  } finally {
    await rm(guard, { force: true });
  }
}

function makeLock(path: string): Lock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      await rm(path, { force: true });
    },
  };
}

export async function withLock<T>(
  path: string,
  options: AcquireOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const lock = await acquireLock(path, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
