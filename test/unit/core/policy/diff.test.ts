import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../../src/core/policy/diff.ts';
import { applyPolicyChanges, type PolicyPatch } from '../../../../src/core/policy/merge.ts';

const LIVE = `version: 1
filesystem_policy:
  include_workdir: true
  read_only: [/usr, /lib, /etc]
  read_write: [/sandbox, /tmp]
landlock:
  compatibility: best_effort
process:
  run_as_user: sandbox
  run_as_group: sandbox
network_policies:
  clawhub:
    name: clawhub
    endpoints:
      - host: clawhub.com
        port: 443
        protocol: rest
        enforcement: enforce
        access: read-only
    binaries:
      - path: /usr/bin/node
`;

const NPM: PolicyPatch = {
  name: 'npm',
  entries: {
    npm_registry: {
      name: 'npm_registry',
      endpoints: [
        {
          host: 'registry.npmjs.org',
          port: 443,
          protocol: 'rest',
          enforcement: 'enforce',
          rules: [{ allow: { method: 'GET', path: '/**' } }],
        },
      ],
      binaries: [{ path: '/usr/bin/node' }],
    },
  },
};

const add = (patch: PolicyPatch) => ({ kind: 'add' as const, patch });

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
