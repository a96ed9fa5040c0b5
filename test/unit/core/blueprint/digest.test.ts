import { describe, expect, it } from 'vitest';
import { diffFiles, sha256Hex, treeDigest } from '../../../../src/core/blueprint/digest.ts';

describe('tree digest', () => {
  it('is order-independent and changes with any byte or path', () => {
    const a = { 'x.yaml': sha256Hex('1'), 'y.yaml': sha256Hex('2') };
    const b = { 'y.yaml': sha256Hex('2'), 'x.yaml': sha256Hex('1') };
    expect(treeDigest(a)).toBe(treeDigest(b));
    expect(treeDigest({ ...a, 'x.yaml': sha256Hex('1 ') })).not.toBe(treeDigest(a));
    expect(treeDigest({ 'z.yaml': a['x.yaml'], 'y.yaml': a['y.yaml'] })).not.toBe(treeDigest(a));
    expect(treeDigest(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('names added, missing and modified files in path order', () => {
    expect(diffFiles({ a: '1', b: '2', c: '3' }, { a: '1', b: 'X', d: '4' })).toEqual([
      { path: 'b', change: 'modified' },
      { path: 'c', change: 'missing' },
      { path: 'd', change: 'added' },
    ]);
  });
});
