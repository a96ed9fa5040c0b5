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
import { redactSqliteCopy } from '../../../../src/adapters/sessions/sqlite-redact.ts';
import { redact } from '../../../../src/core/redact.ts';
import { STAGE_SCRIPT } from '../../../../src/core/sessions.ts';

const CANARY = 'nvapi-SQLITECANARY0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'nc-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
