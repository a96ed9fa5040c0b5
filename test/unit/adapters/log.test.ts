import { readFileSync, readdirSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLazyLogger, logFileName, pruneLogs } from '../../../src/adapters/log.ts';
import { clearKnownSecrets, registerSecret } from '../../../src/core/redact.ts';
import { useTestHome } from '../../helpers/context.ts';

const t = useTestHome({ prefix: 'nc-cli-' });

describe('log file', () => {
  afterEach(() => clearKnownSecrets());

  it('writes redacted JSON lines to logs/nemoclaw-YYYY-MM-DD.jsonl with mode 0600', () => {
    const dir = join(t.home, 'logs');
    registerSecret('canary-secret-value-123');
    const log = createLazyLogger({ dir, now: () => new Date('2026-11-21T10:00:00Z') });
    log.info({ note: 'key is canary-secret-value-123', header: 'Bearer abcdefghijkl' }, 'hello');
    log.flush();
    const file = join(dir, 'nemoclaw-2026-11-21.jsonl');
    const text = readFileSync(file, 'utf8');
    const line = JSON.parse(text.trim().split('\n')[0]!);
    expect(line.msg).toBe('hello');
    expect(text).not.toContain('canary-secret-value-123');
    expect(text).not.toContain('abcdefghijkl');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps seven days of logs', () => {
    const dir = join(t.home, 'logs');
    mkdirSync(dir, { recursive: true });
    const now = new Date('2026-11-21T10:00:00Z');
    for (let d = 0; d < 10; d++) {
      writeFileSync(join(dir, logFileName(new Date(now.getTime() - d * 86_400_000))), '{}\n');
    }
    writeFileSync(join(dir, 'other.txt'), 'keep');
    pruneLogs(dir, now);
    const left = readdirSync(dir).sort();
    expect(left).toContain('other.txt');
    expect(left.filter((n) => n.endsWith('.jsonl'))).toHaveLength(7);
    expect(left).toContain('nemoclaw-2026-11-21.jsonl');
    expect(left).toContain('nemoclaw-2026-11-15.jsonl');
    expect(left).not.toContain('nemoclaw-2026-11-14.jsonl');
  });
});
