import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../../src/core/policy/diff.ts';
import { applyPolicyChanges } from '../../../../src/core/policy/merge.ts';
import { add, LIVE, NPM } from '../../../helpers/policy-texts.ts';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe(''));
  it('shows added and removed lines with context and a hunk header', () => {
    const d = unifiedDiff('a\nb\nc\nd\n', 'a\nb\nX\nd\ne\n', { fromLabel: 'old', toLabel: 'new' });
    expect(d).toBe(
      ['--- old', '+++ new', '@@ -1,4 +1,5 @@', ' a', ' b', '-c', '+X', ' d', '+e'].join('\n'),
    );
  });
  it('splits distant changes into hunks', () => {
    const a = Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n');
    const b = a.replace('l2\n', 'L2\n').replace('l27', 'L27');
    expect(unifiedDiff(a, b).match(/^@@/gm)).toHaveLength(2);
  });
  it('diffs a preset addition as pure additions', () => {
    const r = applyPolicyChanges(LIVE, [add(NPM)]);
    const d = unifiedDiff(r.before, r.after);
    const body = d.split('\n').slice(3);
    expect(body.filter((l) => l.startsWith('-'))).toEqual([]);
    expect(body.filter((l) => l.startsWith('+')).join('\n')).toContain('+  npm_registry:');
  });
});
