/**
 * Issue 18 item 1: every field a manifest, a rebuild journal or a fetched-blueprint record
 * carries is parsed with a schema and bounded.
 */
import { describe, expect, it } from 'vitest';
import { JournalSchema, newJournal } from '../../../../src/core/rebuild/journal.ts';

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
