/** Memory and free disk of this host, for preflight. */
import { readFile, statfs } from 'node:fs/promises';
import { parseMeminfo } from '../../core/host-facts.ts';

export async function hostMemory(
  procRoot = '/proc',
): Promise<{ memTotalMb?: number; swapTotalMb?: number }> {
  const text = await readFile(`${procRoot}/meminfo`, 'utf8').catch(() => '');
  return parseMeminfo(text);
}

/** Free MiB (for unprivileged users) on the file system that holds `path`; undefined if unknown. */
export async function freeDiskMb(path: string): Promise<number | undefined> {
  const s = await statfs(path).catch(() => undefined);
  if (!s) return undefined;
  return Math.floor((Number(s.bavail) * Number(s.bsize)) / (1024 * 1024));
}

/** The cgroup version of this host: v2 when /sys/fs/cgroup is the unified hierarchy. */
export async function hostCgroupVersion(): Promise<'1' | '2' | undefined> {
  const controllers = await readFile('/sys/fs/cgroup/cgroup.controllers', 'utf8').catch(
    () => undefined,
  );
  if (controllers !== undefined) return '2';
  const mounts = await readFile('/proc/self/mounts', 'utf8').catch(() => '');
  return /\scgroup\s/.test(mounts) ? '1' : undefined;
}

/** The active Linux security modules of this host (`landlock` among them when it is enabled). */
export async function hostLsmList(): Promise<string | undefined> {
  return readFile('/sys/kernel/security/lsm', 'utf8').catch(() => undefined);
}

/** This host's kernel release, for when no Engine answers. */
export async function hostKernelRelease(procRoot = '/proc'): Promise<string | undefined> {
  const t = await readFile(`${procRoot}/sys/kernel/osrelease`, 'utf8').catch(() => undefined);
  return t?.trim() || undefined;
}
