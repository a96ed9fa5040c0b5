/**
 * Session export pieces that run without a sandbox: which files are session logs, the staging
 * script's consistent SQLite copy (run with the host's sh and python3 against a database that is
 * being written), and the redaction of the host-side copy.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { redactSqliteCopy } from '../../../src/adapters/sessions/sqlite-redact.ts';
import { redact } from '../../../src/core/redact.ts';
import {
  redactText,
  selectSessionFiles,
  sessionRoots,
  STAGE_SCRIPT,
} from '../../../src/core/sessions.ts';

const CANARY = 'nvapi-SQLITECANARY0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'nc-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('which files are session logs', () => {
  // The agents' writable state, as blueprint 0.2.0's state_paths name it.
  const OC = ['/sandbox/.openclaw-data/agents', '/sandbox/.openclaw-data/workspace'];
  const HM = [
    '/sandbox/.hermes-data/sessions',
    '/sandbox/.hermes-data/runtime',
    '/sandbox/.hermes-data/memories',
  ];
  const listing = [
    '1700000000 10 /sandbox/.openclaw-data/agents/main/sessions/a.jsonl',
    '1800000000 10 /sandbox/.openclaw-data/agents/main/sessions/b.jsonl',
    '1700000000 5 /sandbox/.openclaw-data/agents/main/sessions/sessions.json',
    '1800000000 5 /sandbox/.openclaw-data/agents/main/agent/auth-profiles.json',
    '1800000000 5 /sandbox/.openclaw-data/agents/work/sessions/c.jsonl',
    '1800000000 5 /sandbox/.openclaw-data/agents/main/sessions/../../x.jsonl',
    '1800000000 5 /sandbox/.openclaw-data/workspace/main/sessions/d.jsonl',
    '1800000000 5 /sandbox/.openclaw/agents/main/sessions/old.jsonl',
    'garbage',
  ].join('\n');

  it('lists only the state paths that hold session logs', () => {
    expect(sessionRoots('openclaw', OC)).toEqual(['/sandbox/.openclaw-data/agents']);
    expect(sessionRoots('hermes', HM)).toEqual(HM);
  });

  it('OpenClaw: per-agent transcripts and the index under its agents state path, nothing else', () => {
    expect(
      selectSessionFiles('openclaw', OC, listing, undefined).map((f) => [f.path, f.kind]),
    ).toEqual([
      ['/sandbox/.openclaw-data/agents/main/sessions/a.jsonl', 'transcript'],
      ['/sandbox/.openclaw-data/agents/main/sessions/b.jsonl', 'transcript'],
      ['/sandbox/.openclaw-data/agents/main/sessions/sessions.json', 'index'],
      ['/sandbox/.openclaw-data/agents/work/sessions/c.jsonl', 'transcript'],
    ]);
  });

  it('--since keeps newer transcripts and always the index', () => {
    const since = new Date(1750000000 * 1000);
    expect(selectSessionFiles('openclaw', OC, listing, since).map((f) => f.path)).toEqual([
      '/sandbox/.openclaw-data/agents/main/sessions/b.jsonl',
      '/sandbox/.openclaw-data/agents/main/sessions/sessions.json',
      '/sandbox/.openclaw-data/agents/work/sessions/c.jsonl',
    ]);
  });

  it('Hermes: databases (not their -wal/-shm) and the sessions and runtime folders', () => {
    const h = [
      '1 1 /sandbox/.hermes-data/memories/state.db',
      '1 1 /sandbox/.hermes-data/memories/state.db-wal',
      '1 1 /sandbox/.hermes-data/memories/notes.md',
      '1 1 /sandbox/.hermes-data/sessions/s1.jsonl',
      '1 1 /sandbox/.hermes-data/runtime/gateway.json',
      '1 1 /sandbox/.hermes-data/skills/x/SKILL.md',
      '1 1 /sandbox/.hermes/other.db',
    ].join('\n');
    expect(selectSessionFiles('hermes', HM, h, undefined).map((f) => [f.path, f.kind])).toEqual([
      ['/sandbox/.hermes-data/memories/state.db', 'sqlite'],
      ['/sandbox/.hermes-data/runtime/gateway.json', 'file'],
      ['/sandbox/.hermes-data/sessions/s1.jsonl', 'transcript'],
    ]);
  });

  it('redacts text line by line and counts the lines it changed', () => {
    const r = redactText(`a\nkey ${CANARY}\nb`, redact);
    expect(r).toEqual({ text: 'a\nkey <REDACTED>\nb', changed: 1 });
  });
});

const hasPython = spawnSync('python3', ['-c', 'import sqlite3']).status === 0;

describe.skipIf(!hasPython)('a database copied while it is written', () => {
  it('is a consistent copy, and its host-side copy is redacted value by value', async () => {
    const db = join(dir, 'state.db');
    const init = new DatabaseSync(db);
    init.exec('PRAGMA journal_mode = WAL');
    init.exec('CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT)');
    init.exec(`INSERT INTO messages (body) VALUES ('token ${CANARY}')`);
    init.close();
    // A writer that keeps inserting while the copy is taken.
    const writer = spawn('python3', [
      '-c',
      `import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nprint("go",flush=True)\nwhile True:\n  c.execute("INSERT INTO messages (body) VALUES (?)", ("x"*2000,)); c.commit()`,
      db,
    ]);
    await new Promise<void>((r) => writer.stdout.once('data', () => r()));
    const stage = join(dir, 'stage');
    const r = spawnSync('sh', ['-c', STAGE_SCRIPT, 'sh', stage], {
      input: `sqlite\t${db}\nfile\t${join(dir, 'missing.jsonl')}\n`,
      encoding: 'utf8',
    });
    writer.kill('SIGKILL');
    expect(r.stdout).toContain(`OK\t${db}`);
    expect(r.stdout).toContain(`SKIP\t${join(dir, 'missing.jsonl')}\tcould not be read`);
    const copy = join(stage, db);
    const c = new DatabaseSync(copy);
    expect(c.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    const n = (c.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    c.close();
    expect(n).toBeGreaterThan(0);

    expect(await redactSqliteCopy(copy, redact)).toBe(1);
    expect(readFileSync(copy).includes(Buffer.from(CANARY))).toBe(false);
    const after = new DatabaseSync(copy);
    expect(after.prepare('SELECT body FROM messages WHERE id = 1').get()).toEqual({
      body: 'token <REDACTED>',
    });
    after.close();
    // The original is untouched.
    const orig = new DatabaseSync(db, { readOnly: true });
    expect(orig.prepare('SELECT body FROM messages WHERE id = 1').get()).toEqual({
      body: `token ${CANARY}`,
    });
    orig.close();
  }, 60_000);
});
