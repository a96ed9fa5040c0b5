/**
 * The audit trail on disk, recorded by the command runner: what is recorded, redaction, `audit
 * show`/`verify` on the command line, tampering found, and SIGKILL during a write never breaking
 * the chain.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendRecord, auditPaths, readHead, readLog } from '../../src/adapters/audit/store.ts';
import { parseRecords, recordLine, sealRecord, verifyLog } from '../../src/core/audit.ts';
import { runCli } from '../helpers/cli.ts';
import { sandboxEntry, useTestHome } from '../helpers/context.ts';

const t = useTestHome({ prefix: 'nc-audit-', sandboxes: [sandboxEntry()], scope: 'file' });

const CHILD = join(import.meta.dirname, '..', 'helpers', 'audit-child.ts');
const CANARY = 'nvapi-AUDITCANARY0123456789abcdef';
const env = () => t.env({ NEMOCLAW_OPENSHELL_BIN: join(t.home, 'no-such-openshell') });

const records = async () => parseRecords(await readLog(auditPaths(t.home)));

describe('the command runner records changing commands', () => {
  it('records a failed change with its error, redacted; reads, dry runs and usage errors are not recorded', async () => {
    expect((await runCli(['alpha', 'policy', 'requests'], env())).code).toBe(1);
    expect((await runCli(['alpha', 'policy', 'approve', 'abcd', '--dry-run'], env())).code).toBe(1);
    expect((await runCli(['alpha', 'policy', 'approve'], env())).code).toBe(2);
    expect(await records()).toEqual([]);

    const r = await runCli(['alpha', 'policy', 'reject', 'abcd', '--reason', CANARY], env());
    expect(r.code).toBe(1);
    const recs = await records();
    expect(recs).toHaveLength(1);
    const rec = recs[0]!;
    expect(rec).toMatchObject({ seq: 1, result: { exitCode: 1 } });
    expect(rec.command).toContain('nemoclaw alpha policy reject abcd --reason <REDACTED>');
    expect(rec.plan).toMatchObject({ sandbox: 'alpha', args: ['abcd'] });
    expect(rec.result.error).toContain('openshell binary was not found');
    expect(rec.user).not.toBe('');
    expect(rec.host).not.toBe('');
    expect(readFileSync(auditPaths(t.home).log, 'utf8')).not.toContain(CANARY);
  });

  it('audit show lists records (text, JSON, --since); audit verify passes', async () => {
    const text = await runCli(['audit', 'show'], env());
    expect(text.stdout).toMatch(/^ {4}1 {2}\S+ {2}\S+@\S+ {2}exit 1 .*policy reject abcd/m);
    const j = JSON.parse((await runCli(['audit', 'show', '--json'], env())).stdout);
    expect(j.records).toHaveLength(1);
    const later = JSON.parse(
      (await runCli(['audit', 'show', '--json', '--since', '2999-01-01'], env())).stdout,
    );
    expect(later.records).toEqual([]);
    expect((await runCli(['audit', 'show', '--since', 'soon'], env())).code).toBe(2);
    const v = await runCli(['audit', 'verify'], env());
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain('1 record(s)');
  });

  it('audit verify names the first record an edit broke', async () => {
    await runCli(['alpha', 'policy', 'reject', 'efgh'], env());
    await runCli(['alpha', 'policy', 'reject', 'ijkl'], env());
    const p = auditPaths(t.home).log;
    const good = readFileSync(p, 'utf8');
    writeFileSync(p, good.replace('reject efgh', 'reject zzzz'));
    const v = await runCli(['audit', 'verify'], env());
    expect(v.code).toBe(1);
    expect(v.stderr).toContain('broken at line 2 (record 2)');
    writeFileSync(p, good);
    expect((await runCli(['audit', 'verify'], env())).code).toBe(0);
  });
});

describe('a kill during an append', () => {
  function runAndKill(dir: string, starts: number, delayMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let seen = 0;
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.stdout.on('data', (c: Buffer) => {
        for (const line of c.toString().split('\n')) {
          if (line === 'start' && ++seen === starts) {
            setTimeout(() => child.kill('SIGKILL'), delayMs);
          }
        }
      });
      child.on('exit', (code, signal) => {
        if (signal === 'SIGKILL') resolve();
        else reject(new Error(`child exited ${code}: ${err}`));
      });
    });
  }

  it('never breaks the chain: each kill leaves a trail that verifies, and appends continue it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-audit-kill-'));
    try {
      const p = auditPaths(dir);
      for (const [starts, delay] of [
        [3, 0],
        [2, 1],
        [4, 3],
        [1, 0],
        [5, 2],
        [2, 0],
      ] as const) {
        await runAndKill(dir, starts, delay);
        const v = verifyLog(await readLog(p), await readHead(p));
        expect(v.ok, JSON.stringify(v)).toBe(true);
      }
      const before = (await records2(dir)).length;
      await appendRecord(p, {
        time: new Date().toISOString(),
        user: 'u',
        host: 'h',
        command: 'after',
        plan: {},
        result: { exitCode: 0 },
      });
      const text = await readLog(p);
      const v = verifyLog(text, await readHead(p));
      expect(v).toMatchObject({ ok: true, records: before + 1 });
      expect(text.endsWith('\n')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a torn last line is discarded by the next append, which records that it did', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-audit-torn-'));
    try {
      const p = auditPaths(dir);
      const fields = (c: string) => ({
        time: new Date().toISOString(),
        user: 'u',
        host: 'h',
        command: c,
        plan: {},
        result: { exitCode: 0 },
      });
      const first = await appendRecord(p, fields('one'));
      // What a write killed half-way leaves: the start of the next record, no newline.
      const partial = recordLine(sealRecord(fields('two'), first)).slice(0, 57);
      appendFileSync(p.log, partial);
      const torn = verifyLog(await readLog(p), await readHead(p));
      expect(torn).toEqual({ ok: true, records: 1, tornTail: 57 });
      const cli = await runCli(['audit', 'verify'], { NEMOCLAW_HOME: dir, NO_COLOR: '1' });
      expect(cli.code).toBe(0);
      expect(cli.stderr).toContain('interrupted');

      const next = await appendRecord(p, fields('three'));
      expect(next).toMatchObject({ seq: 2, prev: first.hash, repaired: { discardedBytes: 57 } });
      expect(verifyLog(await readLog(p), await readHead(p))).toEqual({ ok: true, records: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function records2(dir: string) {
  return parseRecords(await readLog(auditPaths(dir)));
}

describe('concurrent commands', () => {
  it('appends from many writers at once never interleave or fork the chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-audit-conc-'));
    try {
      const p = auditPaths(dir);
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          appendRecord(p, {
            time: new Date().toISOString(),
            user: 'u',
            host: 'h',
            command: `c${i}`,
            plan: { i },
            result: { exitCode: 0 },
          }),
        ),
      );
      expect(verifyLog(await readLog(p), await readHead(p))).toEqual({ ok: true, records: 8 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
