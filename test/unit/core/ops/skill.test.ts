import { describe, expect, it } from 'vitest';
import { frontMatter, skillName, treeProblems } from '../../../../src/core/ops/skill.ts';

describe('skill validation', () => {
  const f = (
    rel: string,
    kind: 'file' | 'dir' | 'symlink' | 'other' = 'file',
    size = 10,
    nlink = 1,
  ) => ({
    rel,
    kind,
    size,
    nlink,
  });
  it('accepts files and folders; refuses links, hard links, devices, escapes and size', () => {
    expect(treeProblems([f('SKILL.md'), f('lib', 'dir'), f('lib/a.js')])).toEqual([]);
    expect(treeProblems([f('x', 'symlink')])[0]).toContain('symbolic link');
    expect(treeProblems([f('x', 'file', 1, 2)])[0]).toContain('hard link');
    expect(treeProblems([f('x', 'other')])[0]).toContain('device');
    expect(treeProblems([f('../x')])[0]).toContain('escapes');
    expect(treeProblems([f('big', 'file', 11 * 1024 * 1024)])[0]).toContain('limit');
  });
  it('front matter and name', () => {
    expect(frontMatter('---\nname: a\n---\nbody')).toBe('name: a');
    expect(frontMatter('# no front matter')).toBeUndefined();
    expect(skillName({ name: 'weather' })).toEqual({ name: 'weather' });
    expect(skillName({ description: 'x' })).toEqual({ problem: 'the front matter has no `name`' });
    expect('problem' in skillName({ name: '../evil' })).toBe(true);
    expect('problem' in skillName(['a'])).toBe(true);
  });
});
