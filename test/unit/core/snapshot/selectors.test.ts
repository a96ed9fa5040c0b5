import { describe, expect, it } from 'vitest';
import {
  newSnapshotId,
  numberSnapshots,
  selectSnapshot,
  snapshotNameProblem,
  type SnapshotKey,
} from '../../../../src/core/snapshot/selectors.ts';

const snaps: SnapshotKey[] = [
  { id: '20260102T000000Z-000002', name: 'second', createdAt: '2026-01-02T00:00:00.000Z' },
  { id: '20260101T000000Z-000001', name: null, createdAt: '2026-01-01T00:00:00.000Z' },
  { id: '20260103T000000Z-000003', name: 'third', createdAt: '2026-01-03T00:00:00.000Z' },
];

describe('snapshot names', () => {
  const cases: [string, RegExp | undefined][] = [
    ['pre-upgrade', undefined],
    ['A.b_c-9', undefined],
    ['x'.repeat(63), undefined],
    ['x'.repeat(64), /1 to 63/],
    ['', /1 to 63/],
    ['has space', /1 to 63/],
    ['slash/name', /1 to 63/],
    ['v1', /version selector/],
    ['v42', /version selector/],
    ['v1a', undefined],
    ['latest', /selector/],
    ['..', /not a name/],
    ['20260101T000000Z-000001', /snapshot id/],
    ['second', /already exists/],
  ];
  it.each(cases)('%j', (name, problem) => {
    const got = snapshotNameProblem(name, snaps);
    if (problem) expect(got).toMatch(problem);
    else expect(got).toBeUndefined();
  });
});

describe('snapshot selectors', () => {
  const cases: [string | undefined, string | RegExp][] = [
    [undefined, '20260103T000000Z-000003'],
    ['latest', '20260103T000000Z-000003'],
    ['v1', '20260101T000000Z-000001'],
    ['v2', '20260102T000000Z-000002'],
    ['v3', '20260103T000000Z-000003'],
    ['second', '20260102T000000Z-000002'],
    ['20260101T000000Z-000001', '20260101T000000Z-000001'],
    ['v4', /v1 to v3/],
    ['v0', /v1 to v3/],
    ['nope', /no snapshot has/],
    ['  ', /empty/],
  ];
  it.each(cases)('%j', (sel, want) => {
    const r = selectSnapshot(snaps, sel);
    if (typeof want === 'string') expect(r.ok && r.snapshot.id).toBe(want);
    else expect(!r.ok && r.problem).toMatch(want);
  });
  it('numbers oldest first and says when there are none', () => {
    expect(numberSnapshots(snaps).map((s) => s.version + ':' + s.id.slice(-1))).toEqual([
      '1:1',
      '2:2',
      '3:3',
    ]);
    expect(selectSnapshot([], 'latest')).toMatchObject({ ok: false, kind: 'not-found' });
  });
  it('makes sortable ids', () => {
    expect(newSnapshotId(new Date('2026-05-18T10:15:00.123Z'), 'A1B2C3')).toBe(
      '20260518T101500Z-a1b2c3',
    );
  });
});
