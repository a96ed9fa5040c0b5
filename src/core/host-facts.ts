/** Parsers for the host facts preflight reads from /proc. Pure. */

export interface ProcSocket {
  localPort: number;
  /** Hex state from /proc/net/tcp; 0A is LISTEN. */
  state: string;
  inode: number;
}

/** Parses /proc/net/tcp or /proc/net/tcp6. */
export function parseProcNetTcp(text: string): ProcSocket[] {
  const out: ProcSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const local = f[1]!;
    const port = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    const inode = Number(f[9]);
    if (!Number.isFinite(port) || !Number.isFinite(inode)) continue;
    out.push({ localPort: port, state: f[3]!.toUpperCase(), inode });
  }
  return out;
}

/** Inodes of sockets listening on `port`. */
export function listeningInodes(sockets: ProcSocket[], port: number): number[] {
  return sockets
    .filter((s) => s.localPort === port && s.state === '0A' && s.inode > 0)
    .map((s) => s.inode);
}

/** MemTotal and SwapTotal in MiB from /proc/meminfo. */
export function parseMeminfo(text: string): { memTotalMb?: number; swapTotalMb?: number } {
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
    return m ? Math.floor(Number(m[1]) / 1024) : undefined;
  };
  return { memTotalMb: kb('MemTotal'), swapTotalMb: kb('SwapTotal') };
}
