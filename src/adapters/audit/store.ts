/**
 * The audit trail on disk: NEMOCLAW_HOME/audit/operator.jsonl (append only) and head.json (the last
 * record written, replaced atomically).
 *
 * Kill safety: a record is one `write` of one line to a file opened O_APPEND, then fsync; then the
 * head is replaced by rename. A kill before the write leaves nothing; a kill inside it can leave a
 * torn line without its newline, which is never taken for a record (core/audit.ts) and is cut off
 * by the next writer, whose record says how many bytes it discarded; a kill after it leaves the
 * head one record behind, which verify accepts. Writers take a lock, so two commands never
 * interleave or chain to the same record. Nothing already written is ever changed.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  lastRecord,
  recordLine,
  sealRecord,
  type AuditFields,
  type AuditHead,
  type AuditRecord,
} from '../../core/audit.ts';
import { ensurePrivateDir, FILE_MODE, writeFileAtomic } from '../state/atomic.ts';
import { withLock } from '../state/lock.ts';

export interface AuditPaths {
  dir: string;
  log: string;
  head: string;
  lock: string;
}

export function auditPaths(home: string): AuditPaths {
  const dir = join(home, 'audit');
  return {
    dir,
    log: join(dir, 'operator.jsonl'),
    head: join(dir, 'head.json'),
    lock: join(dir, 'audit.lock'),
  };
}

export async function readLog(p: AuditPaths): Promise<string> {
  try {
    return await readFile(p.log, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

export async function readHead(p: AuditPaths): Promise<AuditHead | undefined> {
  let text: string;
  try {
    text = await readFile(p.head, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const h = JSON.parse(text) as AuditHead;
    if (typeof h.seq === 'number' && typeof h.hash === 'string') return h;
  } catch {
    // fall through
  }
  // An unreadable head cannot vouch for anything; verify then checks the chain alone.
  return undefined;
}

/** Appends one record; returns it. */
/**
 * The last complete line and the size of a torn tail, reading backwards from the end only as far
 * as needed (the trail is never read whole to append).
 */
async function readTail(
  fh: FileHandle,
  size: number,
): Promise<{ last: string | undefined; tornBytes: number }> {
  let n = 64 * 1024;
  for (;;) {
    const start = Math.max(0, size - n);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    const end = buf.lastIndexOf(0x0a);
    const before = end > 0 ? buf.lastIndexOf(0x0a, end - 1) : -1;
    if (before >= 0 || start === 0) {
      const tornBytes = buf.length - (end + 1);
      const last = end < 0 ? undefined : buf.subarray(before + 1, end).toString('utf8');
      return { last, tornBytes };
    }
    n *= 4;
  }
}

export async function appendRecord(p: AuditPaths, fields: AuditFields): Promise<AuditRecord> {
  await ensurePrivateDir(p.dir);
  return withLock(p.lock, { what: 'the audit trail', timeoutMs: 30_000 }, async () => {
    const fh = await open(p.log, 'a+', FILE_MODE);
    try {
      const { size } = await fh.stat();
      const { last, tornBytes } = await readTail(fh, size);
      let repaired: AuditFields['repaired'];
      if (tornBytes > 0) {
        // A line without its newline is what a killed writer leaves: never a record.
        await fh.truncate(size - tornBytes);
        repaired = { discardedBytes: tornBytes };
      }
      const rec = sealRecord(
        { ...fields, ...(repaired ? { repaired } : {}) },
        last === undefined ? undefined : lastRecord([last]),
      );
      const buf = Buffer.from(`${recordLine(rec)}\n`, 'utf8');
      const { bytesWritten } = await fh.write(buf, 0, buf.length);
      if (bytesWritten !== buf.length) throw new Error('short write to the audit trail');
      await fh.sync();
      await writeFileAtomic(p.head, JSON.stringify({ seq: rec.seq, hash: rec.hash }));
      return rec;
    } finally {
      await fh.close();
    }
  });
}
