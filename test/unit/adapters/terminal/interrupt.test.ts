/** Issue 18 item 8: SIGINT says what was interrupted and how to go on, and exits 130. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CHILD = join(import.meta.dirname, '..', '..', '..', 'helpers', 'interrupt-child.ts');

function interrupt(
  signal: NodeJS.Signals,
  extra: string[] = [],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        CHILD,
        'rebuilding alpha (at step 3/9, Deleting the old sandbox)',
        'Continue with: nemoclaw alpha rebuild --resume',
        ...extra,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      if (c.toString().includes('ready')) child.kill(signal);
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('an interrupted long operation', () => {
  it('SIGINT names the innermost activity and its resume command, exit 130', async () => {
    const r = await interrupt('SIGINT');
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Interrupted (SIGINT) while rebuilding alpha (at step 3/9');
    expect(r.stderr).toContain('nemoclaw alpha rebuild --resume');
    expect(r.stderr).not.toContain('outer');
  });

  it('SIGTERM does the same', async () => {
    const r = await interrupt('SIGTERM');
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('nemoclaw alpha rebuild --resume');
  });

  it('an ended activity is not reported', async () => {
    const r = await interrupt('SIGINT', ['ended']);
    expect(r.code).toBe(130);
    expect(r.stderr).not.toContain('outer next');
  });
});
