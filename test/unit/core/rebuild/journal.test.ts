/**
 * Issue 18 item 1: every field a manifest, a rebuild journal or a fetched-blueprint record
 * carries is parsed with a schema and bounded.
 */
import { describe, expect, it } from 'vitest';
import { FetchedBlueprintRecordSchema } from '../../../../src/core/blueprint/schema.ts';
import { JournalSchema, newJournal } from '../../../../src/core/rebuild/journal.ts';
import { MANIFEST_LIMITS, parseManifest } from '../../../../src/core/snapshot/manifest.ts';

const ID = '20260518T101500Z-abcdef';
const H = 'a'.repeat(64);
const manifest = {
  schemaVersion: 1,
  id: ID,
  name: null,
  createdAt: '2026-05-18T10:15:00.000Z',
  nemoclawVersion: '0.1.0',
  sandbox: 'alpha',
  agent: 'openclaw',
  blueprint: { version: '0.1.0', digest: `sha256:${H}` },
  presets: [],
  customPolicies: [],
  roots: [{ path: '/sandbox/.openclaw/workspace', type: 'dir' }],
  skipped: [],
  files: [],
  archive: { file: `${ID}.tar.gz`, size: 1, sha256: H },
};

describe('manifest bounds', () => {
  it('the well-formed manifest parses', () => expect(parseManifest(manifest).ok).toBe(true));
  it.each([
    ['a 10 000-character name', { name: 'n'.repeat(10_000) }],
    ['a 100 000-character sandbox', { sandbox: 's'.repeat(100_000) }],
    [
      'more roots than allowed',
      {
        roots: Array.from({ length: MANIFEST_LIMITS.roots + 1 }, (_, i) => ({
          path: `/r${i}`,
          type: 'dir',
        })),
      },
    ],
    ['a path longer than allowed', { roots: [{ path: `/${'p'.repeat(5000)}`, type: 'dir' }] }],
    ['a size beyond safe integers', { archive: { ...manifest.archive, size: 2 ** 60 } }],
    ['a preset name of 1 000 characters', { presets: ['p'.repeat(1000)] }],
  ])('%s is refused', (_what, over) => {
    expect(parseManifest({ ...manifest, ...over }).ok).toBe(false);
  });
});

describe('journal bounds', () => {
  const good = newJournal('alpha', new Date('2026-01-01T00:00:00Z'));
  it('a fresh journal parses', () => expect(JournalSchema.safeParse(good).success).toBe(true));
  it.each([
    ['an unknown step', { steps: { ...good.steps, bogus: { status: 'complete' } } }],
    ['a snapshot id that is not one', { snapshotId: '../../etc' }],
    ['a date that is not one', { startedAt: 'yesterday' }],
    ['a 100 kB error', { failure: { step: 'delete', message: 'x'.repeat(100_000) } }],
    ['a sandbox name of 1 000 characters', { sandbox: 's'.repeat(1000) }],
  ])('%s is refused', (_what, over) => {
    expect(JournalSchema.safeParse({ ...good, ...over }).success).toBe(false);
  });
});

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
