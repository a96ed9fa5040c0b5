/**
 * Which process inside a sandbox owns a proxied connection, read from the host's /proc like
 * OpenShell's crates/openshell-supervisor-network/src/procfs.rs: the socket inode from the
 * sandbox's network namespace (`/proc/<pid>/net/tcp`), the pid whose fd points at it, its
 * kernel-resolved `/proc/<pid>/exe` (a busybox applet reads `/bin/busybox`) and its ancestors
 * inside the same namespace. Works when this process may read other processes' /proc entries
 * (root on the Docker host); otherwise the binary is `-` and policies that name binaries deny.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface Attribution {
  binary: string;
  pid: string;
  ancestors: string[];
}

export const UNKNOWN: Attribution = { binary: '-', pid: '-', ancestors: [] };

const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');

function socketInode(nsPid: number, localPort: number, remotePort: number): string | undefined {
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/${nsPid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      if (f[1]!.endsWith(`:${hexPort(localPort)}`) && f[2]!.endsWith(`:${hexPort(remotePort)}`)) {
        return f[9];
      }
    }
  }
  return undefined;
}

const link = (p: string) => {
  try {
    return readlinkSync(p);
  } catch {
    return undefined;
  }
};

function ppidOf(pid: string): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
  } catch {
    return undefined;
  }
}

/** nsPid: any process in the sandbox (its container's init). */
export function attribute(nsPid: number, peerPort: number, proxyPort: number): Attribution {
  const inode = socketInode(nsPid, peerPort, proxyPort);
  const ns = link(`/proc/${nsPid}/ns/net`);
  if (!inode || !ns) return UNKNOWN;
  const target = `socket:[${inode}]`;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (link(`/proc/${pid}/ns/net`) !== ns) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    if (!fds.some((fd) => link(`/proc/${pid}/fd/${fd}`) === target)) continue;
    const binary = link(`/proc/${pid}/exe`) ?? '-';
    const ancestors: string[] = [];
    let cur = ppidOf(pid);
    while (cur && cur !== '0' && link(`/proc/${cur}/ns/net`) === ns && ancestors.length < 16) {
      const exe = link(`/proc/${cur}/exe`);
      if (exe) ancestors.push(exe);
      cur = ppidOf(cur);
    }
    return { binary, pid, ancestors };
  }
  return UNKNOWN;
}
