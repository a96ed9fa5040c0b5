/**
 * Issue 18 item 1: every field a manifest, a rebuild journal or a fetched-blueprint record
 * carries is parsed with a schema and bounded.
 */
import { describe, expect, it } from 'vitest';
import { FetchedBlueprintRecordSchema } from '../../../../src/core/blueprint/schema.ts';
const H = 'a'.repeat(64);

describe('fetched blueprint record bounds', () => {
  const good = {
    url: 'https://x/bp.tar.gz',
    archiveSha256: `sha256:${H}`,
    digest: `sha256:${H}`,
    files: { 'blueprint.yaml': H },
  };
  it('a good record parses', () =>
    expect(FetchedBlueprintRecordSchema.safeParse(good).success).toBe(true));
  it.each([
    ['a digest that is not one', { digest: 'sha256:zz' }],
    ['a 10 000-character URL', { url: `https://x/${'u'.repeat(10_000)}` }],
    ['an unknown key', { extra: 1 }],
    ['a file hash that is not one', { files: { a: 'nothex' } }],
  ])('%s is refused', (_what, over) => {
    expect(FetchedBlueprintRecordSchema.safeParse({ ...good, ...over }).success).toBe(false);
  });
});
