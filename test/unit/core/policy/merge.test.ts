import { describe, expect, it } from 'vitest';
import { NemoclawError } from '../../../../src/core/errors.ts';
import {
  applyPolicyChanges,
  composePolicy,
  sameEntry,
  type PolicyPatch,
} from '../../../../src/core/policy/merge.ts';
import { add, data, LIVE, NPM } from '../../../helpers/policy-texts.ts';

const remove = (p: PolicyPatch) => ({
  kind: 'remove' as const,
  name: p.name,
  keys: Object.keys(p.entries),
});

describe('applyPolicyChanges: add', () => {
  it('adds the preset keys and keeps every other section', () => {
    const r = applyPolicyChanges(LIVE, [add(NPM)]);
    expect(r.changed).toBe(true);
    expect(r.added).toEqual(['npm_registry']);
    const before = data(LIVE);
    const after = data(r.after);
    for (const s of ['version', 'filesystem_policy', 'landlock', 'process'])
      expect(after[s]).toEqual(before[s]);
    expect(after.network_policies!.clawhub).toEqual(before.network_policies!.clawhub);
    expect(after.network_policies!.npm_registry).toEqual(NPM.entries.npm_registry);
  });

  it('only adds lines: the text of the other sections is untouched', () => {
    const r = applyPolicyChanges(LIVE, [add(NPM)]);
    expect(r.before).toBe(LIVE);
    expect(r.after.startsWith(LIVE)).toBe(true);
  });

  it('re-adding is a no-op', () => {
    const once = applyPolicyChanges(LIVE, [add(NPM)]).after;
    const twice = applyPolicyChanges(once, [add(NPM)]);
    expect(twice.changed).toBe(false);
    expect(twice.unchanged).toEqual(['npm_registry']);
    expect(twice.after).toBe(twice.before);
  });

  it('re-adding is a no-op after OpenShell re-serialises the entry (name, ports, defaults)', () => {
    const stored =
      LIVE +
      `  npm_registry:
    name: npm_registry
    endpoints:
      - host: registry.npmjs.org
        ports: [443]
        protocol: rest
        enforcement: enforce
        allow_encoded_slash: false
        rules:
          - allow: { method: GET, path: "/**" }
    binaries:
      - path: /usr/bin/node
`;
    expect(applyPolicyChanges(stored, [add(NPM)]).changed).toBe(false);
  });

  it('replaces a key whose live content differs', () => {
    const stale = applyPolicyChanges(LIVE, [add(NPM)]).after.replace(
      'path: /**',
      'path: /left-pad/**',
    );
    const r = applyPolicyChanges(stale, [add(NPM)]);
    expect(r.changed).toBe(true);
    expect(r.replaced).toEqual(['npm_registry']);
  });

  it('adds network_policies when the live policy has none, or has an empty flow map', () => {
    const bare = LIVE.slice(0, LIVE.indexOf('network_policies:'));
    for (const live of [bare, `${bare}network_policies: {}\n`]) {
      const r = applyPolicyChanges(live, [add(NPM)]);
      expect(Object.keys(data(r.after).network_policies!)).toEqual(['npm_registry']);
      expect(r.after).toMatch(/^network_policies:\n {2}npm_registry:/m);
    }
  });

  it('ensures version: 1 (first) when the live policy lacks it', () => {
    const r = applyPolicyChanges(LIVE.replace('version: 1\n', ''), [add(NPM)]);
    expect(r.versionAdded).toBe(true);
    expect(r.after.startsWith('version: 1\n')).toBe(true);
  });

  it("strips OpenShell's provider entries, which `policy set` refuses", () => {
    const live = `${LIVE}  _provider_github:\n    endpoints: [{ host: api.github.com, port: 443 }]\n    binaries: [{ path: /usr/bin/gh }]\n`;
    const r = applyPolicyChanges(live, [add(NPM)]);
    expect(r.strippedReserved).toEqual(['_provider_github']);
    expect(r.after).not.toContain('_provider_');
    expect(r.before).not.toContain('_provider_');
  });

  it('keeps comments and formatting of untouched sections', () => {
    const live = LIVE.replace('landlock:', '# keep me\nlandlock:');
    expect(applyPolicyChanges(live, [add(NPM)]).after).toContain('# keep me\nlandlock:');
  });

  it('refuses a patch that makes the policy invalid, with exit 2', () => {
    const bad: PolicyPatch = {
      name: 'bad',
      entries: {
        x: { endpoints: [{ host: '*.com', port: 443 }], binaries: [{ path: '/usr/bin/curl' }] },
      },
    };
    const e = catchErr(() => applyPolicyChanges(LIVE, [add(bad)]));
    expect(e.kind).toBe('invalid');
    expect(e.message).toMatch(/network_policies\.x\.endpoints\[0\]\.host: TLD wildcard/);
  });

  it('refuses a reserved key in a patch', () => {
    const bad: PolicyPatch = { name: 'bad', entries: { _provider_x: NPM.entries.npm_registry! } };
    expect(catchErr(() => applyPolicyChanges(LIVE, [add(bad)])).kind).toBe('invalid');
  });

  it('refuses a patch that conflicts with a live endpoint on the same host', () => {
    const clash: PolicyPatch = {
      name: 'clash',
      entries: {
        other: {
          endpoints: [
            {
              host: 'clawhub.com',
              port: 443,
              protocol: 'rest',
              enforcement: 'audit',
              access: 'full',
            },
          ],
          binaries: [{ path: '/usr/bin/curl' }],
        },
      },
    };
    expect(catchErr(() => applyPolicyChanges(LIVE, [add(clash)])).message).toMatch(
      /conflicting settings/,
    );
  });
});

describe('applyPolicyChanges: remove', () => {
  it('deletes exactly the preset keys', () => {
    const withNpm = applyPolicyChanges(LIVE, [add(NPM)]).after;
    const r = applyPolicyChanges(withNpm, [remove(NPM)]);
    expect(r.removed).toEqual(['npm_registry']);
    expect(data(r.after)).toEqual(data(LIVE));
  });
  it('removing something absent is a no-op', () => {
    const r = applyPolicyChanges(LIVE, [remove(NPM)]);
    expect(r.changed).toBe(false);
    expect(r.absent).toEqual(['npm_registry']);
  });
  it('removing the last entry leaves a valid policy', () => {
    const only = { name: 'c', entries: { clawhub: {} } };
    const r = applyPolicyChanges(LIVE, [remove(only)]);
    expect(data(r.after).network_policies).toEqual({});
  });
});

describe('applyPolicyChanges: an unreadable live policy is refused (fail closed)', () => {
  const cases: [string, string][] = [
    ['YAML syntax error', 'version: 1\nnetwork_policies: [\n'],
    ['not a mapping', '- a\n- b\n'],
    ['a scalar', 'degraded\n'],
    ['unknown key', `${LIVE}bogus: 1\n`],
    ['static section invalid', LIVE.replace('run_as_user: sandbox', 'run_as_user: root')],
    ['wrong version', LIVE.replace('version: 1', 'version: 3')],
    ['duplicate keys', `${LIVE}network_policies: {}\n`],
  ];
  it.each(cases)('%s', (_n, live) => {
    const e = catchErr(() => applyPolicyChanges(live, [add(NPM)], 'the live policy of sandbox a'));
    expect(e.kind).toBe('failed');
    expect(e.message).toMatch(
      /^Cannot read the live policy of sandbox a, so nemoclaw will not change it/,
    );
    expect(e.hint).toMatch(/openshell policy get/);
  });
});

describe('composePolicy', () => {
  it('puts patches on a baseline, in order', () => {
    const other: PolicyPatch = { name: 'o', entries: { zed: NPM.entries.npm_registry! } };
    // Same host and settings as npm_registry: overlapping but consistent endpoints are fine.
    const out = data(composePolicy(LIVE, [NPM, other]));
    expect(Object.keys(out.network_policies!)).toEqual(['clawhub', 'npm_registry', 'zed']);
  });
});

describe('sameEntry', () => {
  it.each([
    [
      { endpoints: [{ host: 'a', port: 1 }] },
      { name: 'k', endpoints: [{ host: 'a', ports: [1] }] },
      true,
    ],
    [{ endpoints: [{ host: 'a', port: 1 }] }, { endpoints: [{ host: 'a', port: 2 }] }, false],
    [{ binaries: [{ path: '/x', harness: false }] }, { binaries: [{ path: '/x' }] }, true],
    [
      { endpoints: [{ host: 'a', port: 1, tls: '' }] },
      { endpoints: [{ port: 1, host: 'a' }] },
      true,
    ],
  ])('%j ~ %j → %s', (a, b, want) => expect(sameEntry('k', a, b)).toBe(want));
});

function catchErr(fn: () => unknown): NemoclawError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NemoclawError);
    return e as NemoclawError;
  }
  throw new Error('expected an error');
}
