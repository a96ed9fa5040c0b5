import { describe, expect, it } from 'vitest';
import { isLiveDatabaseFile, isTransientDbFile } from '../../../../src/core/snapshot/live-files.ts';

describe('files a running agent rewrites (rebuild verification)', () => {
  it.each([
    ['sandbox/.openclaw-data/agents/main/agent/openclaw-agent.sqlite', true, false],
    ['sandbox/.openclaw-data/agents/main/agent/openclaw-agent.sqlite-wal', true, true],
    ['sandbox/.openclaw-data/agents/main/agent/openclaw-agent.sqlite-shm', true, true],
    ['sandbox/.hermes-data/runtime/state.db', true, false],
    ['sandbox/.hermes-data/runtime/state.db-journal', true, true],
    ['sandbox/.openclaw-data/workspace/MEMORY.md', false, false],
    ['sandbox/.openclaw-data/workspace/notes.sqlite.md', false, false],
    ['sandbox/.openclaw-data/workspace/db', false, false],
  ])('%s: live %s, transient %s', (path, live, transient) => {
    expect(isLiveDatabaseFile(path)).toBe(live);
    expect(isTransientDbFile(path)).toBe(transient);
  });
});
