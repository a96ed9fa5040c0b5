/** The audit chain (core/audit.ts) against tampering, reordering, truncation and torn writes. */
import { describe, expect, it } from 'vitest';
import {
  GENESIS,
  isAudited,
  parseSince,
  recordLine,
  sealRecord,
  verifyLog,
  type AuditHead,
  type AuditRecord,
} from '../../../src/core/audit.ts';

function trail(n: number): { lines: string[]; head: AuditHead } {
  const lines: string[] = [];
  let last: AuditHead | undefined;
  for (let i = 1; i <= n; i++) {
    const r = sealRecord(
      {
        time: `2026-01-0${i}T00:00:00.000Z`,
        user: 'ops',
        host: 'h1',
        command: `nemoclaw alpha policy-add p${i} --yes`,
        plan: { args: [`p${i}`] },
        result: { exitCode: 0 },
      },
      last,
    );
    lines.push(recordLine(r));
    last = { seq: r.seq, hash: r.hash };
  }
  return { lines, head: last! };
}
const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');
const edit = (line: string, f: (r: AuditRecord) => void) => {
  const r = JSON.parse(line) as AuditRecord;
  f(r);
  return JSON.stringify(r);
};
const rehash = (line: string, prev?: string) =>
  recordLine(
    sealRecord(JSON.parse(line) as AuditRecord, prev ? { seq: 0, hash: prev } : undefined),
  );

describe('audit chain', () => {
  it('an intact trail verifies; the first record chains to the genesis hash', () => {
    const { lines, head } = trail(4);
    expect(verifyLog(text(lines), head)).toEqual({ ok: true, records: 4 });
    expect((JSON.parse(lines[0]!) as AuditRecord).prev).toBe(GENESIS);
    expect(verifyLog('', undefined)).toEqual({ ok: true, records: 0 });
  });

  it('names an altered record by its own hash', () => {
    const { lines, head } = trail(5);
    lines[2] = edit(lines[2]!, (r) => (r.user = 'mallory'));
    const v = verifyLog(text(lines), head);
    expect(v).toMatchObject({ ok: false, records: 2, broken: { line: 3, seq: 3 } });
    if (!v.ok) expect(v.broken.reason).toContain('altered');
  });

  it('an altered record that was re-hashed breaks the next record', () => {
    const { lines, head } = trail(5);
    const r2 = JSON.parse(lines[1]!) as AuditRecord;
    const forged = { ...(JSON.parse(lines[2]!) as AuditRecord), command: 'nemoclaw nothing' };
    lines[2] = recordLine(sealRecord(forged, { seq: 2, hash: r2.hash }));
    const v = verifyLog(text(lines), head);
    expect(v).toMatchObject({ ok: false, broken: { line: 4, seq: 4 } });
  });

  it('reordered records break the chain at the first moved one', () => {
    const { lines, head } = trail(5);
    [lines[1], lines[2]] = [lines[2]!, lines[1]!];
    const v = verifyLog(text(lines), head);
    expect(v).toMatchObject({ ok: false, broken: { line: 2, seq: 3 } });
    if (!v.ok) expect(v.broken.reason).toContain('does not follow record 1');
  });

  it('a removed record in the middle, or at the start, is named', () => {
    const { lines, head } = trail(5);
    const mid = [...lines];
    mid.splice(2, 1);
    expect(verifyLog(text(mid), head)).toMatchObject({ ok: false, broken: { line: 3, seq: 4 } });
    const start = lines.slice(1);
    const v = verifyLog(text(start), head);
    expect(v).toMatchObject({ ok: false, broken: { line: 1, seq: 2 } });
    if (!v.ok) expect(v.broken.reason).toContain('records before it were removed');
  });

  it('records cut off the end are noticed through the head', () => {
    const { lines, head } = trail(5);
    const v = verifyLog(text(lines.slice(0, 3)), head);
    expect(v).toMatchObject({ ok: false, records: 3, broken: { line: 4, seq: 4 } });
    if (!v.ok) expect(v.broken.reason).toContain('the trail was cut');
    // A whole trail rebuilt from scratch does not match the head's hash.
    const fresh = trail(5).lines.map((l, i) =>
      i === 0 ? rehash(edit(l, (r) => (r.host = 'x'))) : l,
    );
    expect(verifyLog(text(fresh), head).ok).toBe(false);
  });

  it('a torn last line (a killed write) is reported, not taken for a record or a break', () => {
    const { lines, head } = trail(3);
    const torn = text(lines) + lines[2]!.slice(0, 40);
    expect(verifyLog(torn, head)).toEqual({ ok: true, records: 3, tornTail: 40 });
  });

  it('a head one behind (killed between append and head update) is accepted, two behind is not', () => {
    const { lines } = trail(4);
    const h2 = { seq: 2, hash: (JSON.parse(lines[1]!) as AuditRecord).hash };
    const h3 = { seq: 3, hash: (JSON.parse(lines[2]!) as AuditRecord).hash };
    expect(verifyLog(text(lines), h3)).toMatchObject({ ok: true, headBehind: true });
    expect(verifyLog(text(lines), h2).ok).toBe(false);
  });

  it('records only commands that change something, never dry runs', () => {
    expect(isAudited(['policy-add'], {})).toBe(true);
    expect(isAudited(['policy', 'approve'], {})).toBe(true);
    expect(isAudited(['policy-add'], { dryRun: true })).toBe(false);
    expect(isAudited(['policy', 'requests'], {})).toBe(false);
    expect(isAudited(['audit', 'verify'], {})).toBe(false);
    expect(isAudited(['some-new-command'], {})).toBe(true);
  });

  it('--since takes a duration or a date', () => {
    const now = new Date('2026-05-02T00:00:00Z');
    expect(parseSince('12h', now)?.toISOString()).toBe('2026-05-01T12:00:00.000Z');
    expect(parseSince('2026-04-01', now)?.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(parseSince('yesterday', now)).toBeUndefined();
  });
});
