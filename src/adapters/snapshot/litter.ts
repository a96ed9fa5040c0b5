/**
 * What an interrupted snapshot create or restore leaves behind (issue 18 item 8): partial archives
 * (`.<id>-<pid>.tar.gz.tmp`, or `.<id>.tar.gz.tmp` from before the writer's pid was in the name)
 * and private working folders (`.staging-<pid>-…`, `.restore-<pid>-…`). Only what belongs to a
 * process that is gone is litter: a running create's files are never touched. None of them is
 * the only copy of anything (no manifest names them), so removing them loses nothing.
 */
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pidAlive } from '../state/pid.ts';

export interface SnapshotLitter {
  path: string;
  sandbox: string;
  kind: 'partial archive' | 'working folder';
  bytes: number;
}

const TMP_ARCHIVE = /^\.[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}(?:-([0-9]+))?\.tar\.gz\.tmp$/;
const WORK_DIR = /^\.(?:staging|restore)-([0-9]+)-[0-9a-f]+$/;

/** The partial archive name for a create by this process. */
export function tmpArchiveName(id: string, pid = process.pid): string {
  return `.${id}-${pid}.tar.gz.tmp`;
}

function ownerGone(pidText: string | undefined): boolean {
  if (pidText === undefined) return true; // the old name carried no pid: no writer of today's
  const pid = Number(pidText);
  return pid !== process.pid && !pidAlive(pid);
}

async function sizeOf(path: string): Promise<number> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const e of await readdir(path).catch(() => [] as string[])) n += await sizeOf(join(path, e));
  return n;
}

/** Litter in one sandbox's snapshot folder. */
export async function findLitterIn(dir: string, sandbox: string): Promise<SnapshotLitter[]> {
  const out: SnapshotLitter[] = [];
  for (const n of await readdir(dir).catch(() => [] as string[])) {
    const a = TMP_ARCHIVE.exec(n);
    const w = a ? undefined : WORK_DIR.exec(n);
    if (a && ownerGone(a[1])) {
      const path = join(dir, n);
      out.push({ path, sandbox, kind: 'partial archive', bytes: await sizeOf(path) });
    } else if (w && ownerGone(w[1])) {
      const path = join(dir, n);
      out.push({ path, sandbox, kind: 'working folder', bytes: await sizeOf(path) });
    }
  }
  return out;
}

/** Litter under every sandbox's snapshot folder. */
export async function findSnapshotLitter(snapshotsDir: string): Promise<SnapshotLitter[]> {
  const out: SnapshotLitter[] = [];
  const sandboxes = await readdir(snapshotsDir, { withFileTypes: true }).catch(() => []);
  for (const s of sandboxes) {
    if (s.isDirectory() && !s.name.startsWith('.'))
      out.push(...(await findLitterIn(join(snapshotsDir, s.name), s.name)));
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export async function removeLitter(items: readonly SnapshotLitter[]): Promise<void> {
  for (const i of items) await rm(i.path, { recursive: true, force: true });
}
