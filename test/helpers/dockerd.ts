/**
 * Restarting the local dockerd for engine-disturbing tests (test/serial). It finds how the running
 * daemon was started (its argv, working folder and log file from /proc), kills it, starts the same
 * command again detached, and waits — bounded — for a ping. `restoreDockerd` is the safety net a
 * test calls in afterAll.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { docker } from './docker.ts';

export interface DockerdLaunch {
  pid: number;
  argv: string[];
  cwd: string;
  log?: string;
  env: Record<string, string>;
}

export function findDockerd(): DockerdLaunch | undefined {
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue;
    }
    if (argv.length === 0 || !/(^|\/)dockerd$/.test(argv[0]!)) continue;
    const link = (p: string) => {
      try {
        return readlinkSync(p);
      } catch {
        return undefined;
      }
    };
    const out = link(`/proc/${d}/fd/1`);
    const env: Record<string, string> = {};
    try {
      for (const kv of readFileSync(`/proc/${d}/environ`, 'utf8').split('\0').filter(Boolean)) {
        const i = kv.indexOf('=');
        env[kv.slice(0, i)] = kv.slice(i + 1);
      }
    } catch {
      Object.assign(env, process.env);
    }
    return {
      pid: Number(d),
      argv,
      cwd: link(`/proc/${d}/cwd`) ?? '/',
      log: out && out.startsWith('/') && !out.startsWith('/dev/') ? out : undefined,
      env,
    };
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitForPing(timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (
      await docker()
        .ping()
        .then(
          () => true,
          () => false,
        )
    )
      return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

export function startDockerd(l: DockerdLaunch): number {
  const fd = l.log ? openSync(l.log, 'a') : 'ignore';
  const child = spawn(l.argv[0]!, l.argv.slice(1), {
    cwd: existsSync(l.cwd) ? l.cwd : '/',
    env: l.env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  child.unref();
  return child.pid!;
}

/** Kills the daemon (SIGTERM, then SIGKILL after 20 s) and starts it again the same way. */
export async function restartDockerd(l: DockerdLaunch, timeoutMs = 60_000): Promise<void> {
  process.kill(l.pid, 'SIGTERM');
  const until = Date.now() + 20_000;
  while (alive(l.pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (alive(l.pid)) process.kill(l.pid, 'SIGKILL');
  while (alive(l.pid)) await new Promise((r) => setTimeout(r, 100));
  startDockerd(l);
  if (!(await waitForPing(timeoutMs))) {
    throw new Error(
      `dockerd did not answer within ${timeoutMs / 1000} s after the restart; see ${l.log ?? 'its log'}`,
    );
  }
}

/** Safety net: if no dockerd answers, start one with the recorded launch. */
export async function restoreDockerd(l: DockerdLaunch | undefined): Promise<void> {
  if (!l || (await waitForPing(1000))) return;
  if (!findDockerd()) startDockerd(l);
  await waitForPing(60_000);
}
