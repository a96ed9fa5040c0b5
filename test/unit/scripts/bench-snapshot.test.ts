// The snapshot bench is not part of the suite (it packs 1 GiB); this only checks that a tiny run
// prints its figures.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('scripts/bench-snapshot.ts', () => {
  it('prints the ratio against tar czf and the peak RSS', () => {
    const out = execFileSync(
      process.execPath,
      [
        join(import.meta.dirname, '../../../scripts/bench-snapshot.ts'),
        '--size-mb',
        '2',
        '--runs',
        '1',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    expect(out).toMatch(/ratio: \d+\.\d\d x tar czf/);
    expect(out).toMatch(/peak RSS: \d+\.\d MB/);
  }, 60_000);
});
