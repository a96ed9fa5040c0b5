import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildManifest, safeEntryPath, scrub } from '../../../src/core/debug-bundle.ts';
import { clearKnownSecrets, registerSecret } from '../../../src/core/redact.ts';

describe('debug bundle core', () => {
  it('scrubs known secrets, token shapes, assignments and URL credentials', () => {
    clearKnownSecrets();
    registerSecret('canary-value-1234567');
    const t = scrub(
      'a canary-value-1234567 b nvapi-abcdefghijklmnop FOO_TOKEN=zzzzzzzz "apiKey": "qqqqqqqqq" https://bob:hunter22@proxy:3128',
    );
    expect(t).not.toMatch(/canary-value|nvapi-abc|zzzzzzzz|qqqqqqqqq|hunter22/);
    expect(t).toContain('https://<REDACTED>@proxy:3128');
    clearKnownSecrets();
  });

  it('the manifest hashes exactly the bytes that ship', () => {
    const m = buildManifest([{ path: 'a.txt', description: 'A', text: 'héllo' }], {
      createdAt: 't',
      nemoclawVersion: '0',
      quick: false,
      skipped: [],
    });
    expect(m.entries).toEqual([
      {
        path: 'a.txt',
        description: 'A',
        bytes: 6,
        sha256: createHash('sha256').update(Buffer.from('héllo', 'utf8')).digest('hex'),
      },
    ]);
  });

  it('entry paths stay inside the bundle', () => {
    expect(safeEntryPath('sandbox/x/get.json')).toBe(true);
    for (const p of ['/etc/passwd', '../x', 'a/../b', 'a//b', ''])
      expect(safeEntryPath(p), p).toBe(false);
  });
});
