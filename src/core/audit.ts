/**
 * The operator audit trail: one JSON line per command that changed something, chained by hashes.
 *
 * Each record carries `prev` (the previous record's hash) and `hash` (SHA-256 of the record's own
 * JSON without `hash`), so an altered record fails its own hash, and a removed, inserted or moved
 * one breaks `prev` or `seq`. A head file remembers the last record written, so cutting records
 * off the end is noticed too. A writer killed mid-line leaves a torn last line with no newline;
 * that is never a record: verify reports it, and the next append discards it and says so in its
 * own (chained) record. Pure: the adapter does the I/O.
 */
import { createHash } from 'node:crypto';

export const AUDIT_VERSION = 1;
export const GENESIS = '0'.repeat(64);

export interface AuditResult {
  exitCode: number;
  error?: string;
}

export interface AuditFields {
  time: string;
  user: string;
  host: string;
  /** The command line, redacted. */
  command: string;
  /** What the command was asked to do, and the plan it reported if any (redacted). */
  plan: unknown;
  result: AuditResult;
  /** Bytes of a torn last line this append discarded. */
  repaired?: { discardedBytes: number };
}

export interface AuditRecord extends AuditFields {
  v: number;
  seq: number;
  prev: string;
  hash: string;
}

export interface AuditHead {
  seq: number;
  hash: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The record's line (without newline): fields in a fixed order, `hash` last. */
export function sealRecord(fields: AuditFields, last: AuditHead | undefined): AuditRecord {
  const body = {
    v: AUDIT_VERSION,
    seq: (last?.seq ?? 0) + 1,
    time: fields.time,
    user: fields.user,
    host: fields.host,
    command: fields.command,
    plan: fields.plan,
    result: fields.result,
    ...(fields.repaired ? { repaired: fields.repaired } : {}),
    prev: last?.hash ?? GENESIS,
  };
  return { ...body, hash: sha256(JSON.stringify(body)) };
}

export function recordLine(r: AuditRecord): string {
  return JSON.stringify(r);
}

/** The hash a line claims to have when its content is intact; undefined when it does not. */
function selfHash(line: string): { rec: AuditRecord; ok: boolean } | undefined {
  let rec: AuditRecord;
  try {
    rec = JSON.parse(line) as AuditRecord;
  } catch {
    return undefined;
  }
  if (typeof rec !== 'object' || rec === null || typeof rec.hash !== 'string') return undefined;
  const { hash, ...body } = rec;
  return { rec, ok: sha256(JSON.stringify(body)) === hash };
}

export type VerifyResult =
  | { ok: true; records: number; tornTail?: number; headBehind?: boolean }
  | { ok: false; records: number; broken: { line: number; seq?: number; reason: string } };

/** Splits the file into complete lines and a torn tail (bytes after the last newline). */
export function splitLog(text: string): { lines: string[]; torn: string } {
  const end = text.lastIndexOf('\n');
  const complete = end < 0 ? '' : text.slice(0, end);
  return { lines: complete === '' ? [] : complete.split('\n'), torn: text.slice(end + 1) };
}

export function verifyLog(text: string, head: AuditHead | undefined): VerifyResult {
  const { lines, torn } = splitLog(text);
  let prev: AuditHead | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const broken = (reason: string, seq?: number): VerifyResult => ({
      ok: false,
      records: i,
      broken: { line, seq, reason },
    });
    const s = selfHash(lines[i]!);
    if (!s) return broken('it is not an audit record (not JSON, or no hash)');
    const { rec } = s;
    if (!s.ok) return broken('its content does not match its hash: it was altered', rec.seq);
    const wantSeq = (prev?.seq ?? 0) + 1;
    const wantPrev = prev?.hash ?? GENESIS;
    if (rec.prev !== wantPrev) {
      const what =
        i === 0
          ? 'it is not the first record: records before it were removed'
          : `it does not follow record ${prev!.seq}: a record was removed, inserted or moved`;
      return broken(what, rec.seq);
    }
    if (rec.seq !== wantSeq)
      return broken(`its number is ${rec.seq}, expected ${wantSeq}`, rec.seq);
    prev = { seq: rec.seq, hash: rec.hash };
  }
  const records = lines.length;
  if (head && head.seq > 0) {
    const last = prev?.seq ?? 0;
    if (head.seq > last) {
      return {
        ok: false,
        records,
        broken: {
          line: records + 1,
          seq: last + 1,
          reason: `record ${last + 1} is missing: the trail was cut (the last record written was ${head.seq})`,
        },
      };
    }
    const at = lines[head.seq - 1];
    const atRec = at ? selfHash(at)?.rec : undefined;
    if (!atRec || atRec.hash !== head.hash) {
      return {
        ok: false,
        records,
        broken: {
          line: head.seq,
          seq: head.seq,
          reason: 'it is not the record that was written: the trail was replaced from here',
        },
      };
    }
    // A writer killed after its append and before the head update leaves the head one behind.
    if (last > head.seq + 1) {
      return {
        ok: false,
        records,
        broken: {
          line: head.seq + 2,
          seq: head.seq + 2,
          reason: `records after ${head.seq + 1} were added without the writer`,
        },
      };
    }
    return {
      ok: true,
      records,
      ...(torn ? { tornTail: Buffer.byteLength(torn) } : {}),
      ...(last > head.seq ? { headBehind: true } : {}),
    };
  }
  return { ok: true, records, ...(torn ? { tornTail: Buffer.byteLength(torn) } : {}) };
}

/** The last intact record of the complete lines, to chain the next one to. */
export function lastRecord(lines: string[]): AuditHead | undefined {
  const line = lines.at(-1);
  if (line === undefined) return undefined;
  const s = selfHash(line);
  if (!s) return undefined;
  return { seq: s.rec.seq, hash: s.rec.hash };
}

/** Records in order; lines that are not records are skipped (verify reports them). */
export function parseRecords(text: string): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const l of splitLog(text).lines) {
    const s = selfHash(l);
    if (s) out.push(s.rec);
  }
  return out;
}

/** Commands that change nothing are not recorded; everything else is, unless it is a dry run. */
const READ_ONLY = new Set([
  'list',
  'status',
  'logs',
  'doctor',
  'debug',
  'completion',
  '__complete',
  'help',
  'policy-list',
  'policy-get',
  'policy-check',
  'policy requests',
  'policy history',
  'blueprint list',
  'blueprint show',
  'blueprint verify',
  'snapshot list',
  'snapshot verify',
  'channels list',
  'inference get',
  'credentials list',
  'audit show',
  'audit verify',
  'config export',
]);

export function isAudited(path: string[], opts: Record<string, unknown>): boolean {
  if (opts.dryRun === true) return false;
  return !READ_ONLY.has(path.join(' '));
}

/** `--since` as an ISO date or a duration back from now (`30m`, `12h`, `7d`). */
export function parseSince(v: string, now: Date): Date | undefined {
  const m = /^(\d+)([smhd])$/.exec(v.trim());
  if (m) {
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[m[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(m[1]) * unit);
  }
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
