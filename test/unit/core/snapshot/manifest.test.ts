import { describe, expect, it } from 'vitest';
import { parseManifest, MANIFEST_LIMITS } from '../../../../src/core/snapshot/manifest.ts';
import { formatPlan } from '../../../../src/core/plan.ts';
import { planRestore } from '../../../../src/core/snapshot/restore-plan.ts';

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
