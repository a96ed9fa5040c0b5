import { describe, expect, it } from 'vitest';
import {
  archivePathOf,
  createEntryChecker,
  linkTargetProblem,
  statePathOf,
  type EntryHeader,
} from '../../../../src/core/snapshot/entries.ts';

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
