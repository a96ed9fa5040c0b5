import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fingerprintKey,
  fingerprintKeyPath,
  readFingerprintKey,
} from '../../../../src/adapters/state/fingerprint-key.ts';

describe('the fingerprint key', () => {
  it('is made once, 32 bytes, mode 0600, and racing makers agree on one key', async () => {
    const home = mkdtempSync(join(tmpdir(), 'nc-fpkey-'));
    expect(await readFingerprintKey(home)).toBeUndefined();
    const keys = await Promise.all(Array.from({ length: 16 }, () => fingerprintKey(home)));
    const first = keys[0]!.toString('hex');
    for (const k of keys) expect(k.toString('hex')).toBe(first);
    expect(readFileSync(fingerprintKeyPath(home)).toString('hex')).toBe(first);
    expect(statSync(fingerprintKeyPath(home)).mode & 0o777).toBe(0o600);
    expect((await fingerprintKey(home)).toString('hex')).toBe(first);
  });

  it('a damaged key is reported, not replaced (fingerprints made with it would all change)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'nc-fpkey-'));
    writeFileSync(fingerprintKeyPath(home), 'short');
    await expect(fingerprintKey(home)).rejects.toThrow(
      /does not hold a 32-byte key; move it aside/,
    );
    expect(readFileSync(fingerprintKeyPath(home), 'utf8')).toBe('short');
  });
});
