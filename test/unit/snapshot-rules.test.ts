import { describe, expect, it } from 'vitest';
import {
  archivePathOf,
  createEntryChecker,
  linkTargetProblem,
  statePathOf,
  type EntryHeader,
} from '../../src/core/snapshot/entries.ts';
import { parseManifest } from '../../src/core/snapshot/manifest.ts';
import { formatPlan } from '../../src/core/plan.ts';
import { planRestore } from '../../src/core/snapshot/restore-plan.ts';
import {
  newSnapshotId,
  numberSnapshots,
  selectSnapshot,
  snapshotNameProblem,
  type SnapshotKey,
} from '../../src/core/snapshot/selectors.ts';

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

describe('entry rules', () => {
  const root = 'sandbox/.openclaw/workspace';
  const f = (path: string, over: Partial<EntryHeader> = {}): EntryHeader => ({
    path,
    type: 'File',
    size: 1,
    mode: 0o644,
    ...over,
  });
  const cases: [string, EntryHeader, RegExp | undefined][] = [
    ['a file', f(`${root}/a`), undefined],
    ['the root folder, trailing slash', f(`${root}/`, { type: 'Directory' }), undefined],
    ['OldFile', f(`${root}/a`, { type: 'OldFile' }), undefined],
    ['absolute', f(`/${root}/a`), /absolute/],
    ['windows drive', f('C:/x'), /absolute/],
    ['backslash', f(`${root}\\..\\x`), /absolute/],
    ['dot-dot', f(`${root}/../x`), /"\.\."/],
    ['dot segment', f(`${root}/./x`), /not normalized/],
    ['double slash', f(`${root}//x`), /not normalized/],
    ['empty', f(''), /empty/],
    ['NUL', f(`${root}/a\0b`), /NUL/],
    ['outside', f('sandbox/.openclaw/identity/x'), /outside/],
    ['prefix lookalike', f(`${root}-evil/x`), /outside/],
    ['hard link', f(`${root}/h`, { type: 'Link', linkpath: `${root}/a` }), /hard link/],
    ['char device', f(`${root}/c`, { type: 'CharacterDevice' }), /character device/],
    ['block device', f(`${root}/b`, { type: 'BlockDevice' }), /block device/],
    ['fifo', f(`${root}/p`, { type: 'FIFO' }), /FIFO/],
    ['contiguous', f(`${root}/p`, { type: 'ContiguousFile' }), /unsupported/],
    ['setuid', f(`${root}/a`, { mode: 0o4755 }), /set-user-id/],
    ['sticky dir', f(`${root}/d`, { type: 'Directory', mode: 0o1777 }), /sticky/],
    ['link in tree', f(`${root}/l`, { type: 'SymbolicLink', linkpath: 'a' }), undefined],
    ['link up then down', f(`${root}/d/l`, { type: 'SymbolicLink', linkpath: '../a' }), undefined],
    ['link to root', f(`${root}/d/l`, { type: 'SymbolicLink', linkpath: '..' }), undefined],
    ['link absolute', f(`${root}/l`, { type: 'SymbolicLink', linkpath: '/etc' }), /absolute/],
    ['link escaping', f(`${root}/l`, { type: 'SymbolicLink', linkpath: '../x' }), /leaves/],
    ['link climbing', f(`${root}/l`, { type: 'SymbolicLink', linkpath: 'a/../../x' }), /climbs/],
    ['link empty', f(`${root}/l`, { type: 'SymbolicLink', linkpath: '' }), /empty/],
    ['root is a link', f(root, { type: 'SymbolicLink', linkpath: 'x' }), /itself a link/],
  ];
  it.each(cases)('%s', (_what, h, problem) => {
    const got = createEntryChecker([root, 'sandbox/.openclaw/openclaw.json'])(h);
    if (problem) expect(got).toMatch(problem);
    else expect(got).toBeUndefined();
  });
  it('refuses duplicates and paths below an earlier link', () => {
    const check = createEntryChecker([root]);
    expect(check(f(`${root}/l`, { type: 'SymbolicLink', linkpath: 'd' }))).toBeUndefined();
    expect(check(f(`${root}/l/x`))).toMatch(/below a symbolic link/);
    expect(check(f(`${root}/a`))).toBeUndefined();
    expect(check(f(`${root}/a`))).toMatch(/second entry/);
  });
  it('maps state paths to archive paths and back', () => {
    expect(archivePathOf('/sandbox/.openclaw/workspace/')).toBe(root);
    expect(statePathOf(root)).toBe('/sandbox/.openclaw/workspace');
    expect(linkTargetProblem(`${root}/a/b`, '../c', root)).toBeUndefined();
    expect(linkTargetProblem(`${root}/a/b`, '../../c', root)).toMatch(/leaves/);
  });
});

describe('manifest', () => {
  const good = {
    schemaVersion: 1,
    id: '20260518T101500Z-abcdef',
    name: 'x',
    createdAt: '2026-05-18T10:15:00.000Z',
    nemoclawVersion: '0.1.0',
    sandbox: 'alpha',
    agent: 'hermes',
    blueprint: { version: '0.1.0', digest: `sha256:${'b'.repeat(64)}` },
    presets: ['npm'],
    customPolicies: [],
    roots: [{ path: '/sandbox/.hermes/SOUL.md', type: 'file' }],
    skipped: [{ path: '/sandbox/.hermes/runtime', reason: 'not present', code: 'absent' }],
    files: [
      {
        path: 'sandbox/.hermes/SOUL.md',
        type: 'file',
        size: 1,
        mode: 0o600,
        sha256: 'c'.repeat(64),
      },
    ],
    archive: { file: '20260518T101500Z-abcdef.tar.gz', size: 10, sha256: 'd'.repeat(64) },
  };
  it('accepts a valid manifest', () => expect(parseManifest(good).ok).toBe(true));
  const bad: [string, unknown, RegExp][] = [
    ['newer schema', { ...good, schemaVersion: 2 }, /newer/],
    ['unknown key', { ...good, extra: 1 }, /extra|Unrecognized/i],
    ['absolute file path', { ...good, files: [{ ...good.files[0], path: '/etc/x' }] }, /files/],
    ['dot-dot file path', { ...good, files: [{ ...good.files[0], path: 'a/../b' }] }, /files/],
    ['set-id mode', { ...good, files: [{ ...good.files[0], mode: 0o4755 }] }, /mode/],
    ['bad archive name', { ...good, archive: { ...good.archive, file: '../x.tar.gz' } }, /archive/],
  ];
  it.each(bad)('refuses %s', (_w, raw, re) => {
    const r = parseManifest(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(re);
  });
  it('plans a restore with a stable text form', () => {
    const r = parseManifest(good);
    if (!r.ok) throw new Error(r.problem);
    const plan = planRestore(r.manifest, 'alpha', [
      '/sandbox/.hermes/SOUL.md',
      '/sandbox/.hermes/sessions',
    ]);
    expect(formatPlan(plan)).toBe(
      [
        'Plan: restore snapshot 20260518T101500Z-abcdef into alpha',
        '  1. openshell.sandbox.prepare-temp /sandbox/.hermes/.nemoclaw-restore-20260518T101500Z-abcdef',
        '     why: uploads land beside their state paths, so the swap is a rename',
        '     temp: /sandbox/.hermes/.nemoclaw-restore-20260518T101500Z-abcdef',
        '  2. openshell.sandbox.upload /sandbox/.hermes/SOUL.md',
        '     why: snapshot 20260518T101500Z-abcdef holds this state path',
        '     local: sandbox/.hermes/SOUL.md',
        '     temp: /sandbox/.hermes/.nemoclaw-restore-20260518T101500Z-abcdef',
        '  3. openshell.sandbox.replace /sandbox/.hermes/SOUL.md',
        '     why: every upload succeeded; the current content is replaced by the snapshot',
        '     temp: /sandbox/.hermes/.nemoclaw-restore-20260518T101500Z-abcdef',
        '  4. openshell.sandbox.remove-temp /sandbox/.hermes/.nemoclaw-restore-20260518T101500Z-abcdef',
        '     why: clean up',
        '     temp: /sandbox/.hermes/.nemoclaw-restore-20260518T101500Z-abcdef',
      ].join('\n'),
    );
    expect(plan.skipped.map((s) => s.path)).toEqual([
      '/sandbox/.hermes/runtime',
      '/sandbox/.hermes/sessions',
    ]);
  });
});
