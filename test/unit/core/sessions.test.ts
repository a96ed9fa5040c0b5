import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redact } from '../../../src/core/redact.ts';
import { redactText, selectSessionFiles, sessionRoots } from '../../../src/core/sessions.ts';

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
