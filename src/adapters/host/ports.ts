/**
 * Is a TCP port free on this host, and if not, who holds it. The holder comes from /proc (socket
 * inode → process fd), so there is no lsof dependency; when /proc does not show it (another user's
 * process without privileges, macOS), the holder is simply unknown.
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { listeningInodes, parseProcNetTcp } from '../../core/host-facts.ts';

export interface PortHolder {
  pid: number;
  command: string;
}

export interface PortProbe {
  port: number;
  free: boolean;
  /** Set when the port is busy and /proc shows who holds it. */
  holder?: PortHolder;
  /** The listen error code when busy (EADDRINUSE, EACCES). */
  code?: string;
}

export function tryListen(
  port: number,
  host = '127.0.0.1',
): Promise<{ ok: boolean; code?: string }> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, code: e.code }));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve({ ok: true })));
  });
}

export async function probePort(port: number, procRoot = '/proc'): Promise<PortProbe> {
  const r = await tryListen(port);
  if (r.ok) return { port, free: true };
  const holder = await findPortHolder(port, procRoot).catch(() => undefined);
  return { port, free: false, holder, code: r.code };
}

export async function findPortHolder(
  port: number,
  procRoot = '/proc',
): Promise<PortHolder | undefined> {
  const tables = await Promise.all(
    ['net/tcp', 'net/tcp6'].map((f) => readFile(`${procRoot}/${f}`, 'utf8').catch(() => '')),
  );
  const inodes = new Set(tables.flatMap((t) => listeningInodes(parseProcNetTcp(t), port)));
  if (inodes.size === 0) return undefined;
  const wanted = new Set([...inodes].map((i) => `socket:[${i}]`));
  const pids = (await readdir(procRoot)).filter((d) => /^\d+$/.test(d));
  for (const pid of pids) {
    const fds = await readdir(`${procRoot}/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await readlink(`${procRoot}/${pid}/fd/${fd}`).catch(() => '');
      if (wanted.has(link)) return { pid: Number(pid), command: await commandOf(procRoot, pid) };
    }
  }
  return undefined;
}

async function commandOf(procRoot: string, pid: string): Promise<string> {
  const cmdline = await readFile(`${procRoot}/${pid}/cmdline`, 'utf8').catch(() => '');
  const args = cmdline.split('\0').filter(Boolean);
  if (args.length > 0) return args.join(' ').slice(0, 200);
  return (await readFile(`${procRoot}/${pid}/comm`, 'utf8').catch(() => '?')).trim();
}
