import { describe, expect, it } from 'vitest';
import { applyPolicyChanges } from '../../../../src/core/policy/merge.ts';
import {
  customPolicyName,
  desiredPresets,
  expandTier,
  isApplied,
  keyOwners,
  ownershipConflicts,
  uncoveredBinaries,
} from '../../../../src/core/policy/presets.ts';
import { parseTiersFile } from '../../../../src/core/policy/parse.ts';
import { add, data, LIVE, NPM } from '../../../helpers/policy-texts.ts';

describe('presets and tiers', () => {
  const tiers = parseTiersFile(
    `default: balanced
tiers:
  restricted: { description: r, presets: [] }
  balanced: { description: b, presets: [npm, pypi] }
  open: { description: o, presets: [npm, pypi, github] }
`,
    't',
  );
  it.each([
    ['restricted', []],
    ['balanced', ['npm', 'pypi']],
    ['open', ['npm', 'pypi', 'github']],
  ] as const)('expands %s', (tier, want) => expect(expandTier(tiers, tier)).toEqual(want));
  it('refuses a tier naming an unknown preset', () => {
    expect(() => expandTier(tiers, 'open', new Set(['npm', 'pypi']))).toThrow(/github/);
  });
  it.each([
    [{ tierPresets: ['npm'], requested: ['github'], existing: [] }, ['npm', 'github']],
    // Re-onboarding with a smaller tier keeps what the user had added.
    [{ tierPresets: [], existing: ['slack', 'npm'] }, ['slack', 'npm']],
    [
      { tierPresets: ['npm', 'pypi'], requested: ['npm'], existing: ['pypi', 'brew'] },
      ['npm', 'pypi', 'brew'],
    ],
  ])('desiredPresets %j', (o, want) => expect(desiredPresets(o)).toEqual(want));

  it('tracks key ownership', () => {
    const owners = keyOwners([NPM, { name: 'c', entries: { clawhub: {} } }]);
    expect(ownershipConflicts({ name: 'mine', entries: { npm_registry: {} } }, owners)).toEqual([
      { key: 'npm_registry', owner: 'npm' },
    ]);
    expect(ownershipConflicts(NPM, owners)).toEqual([]);
  });
  it('judges applied from the live entries', () => {
    expect(
      isApplied(NPM, data(applyPolicyChanges(LIVE, [add(NPM)]).after).network_policies as never),
    ).toBe(true);
    expect(isApplied(NPM, data(LIVE).network_policies as never)).toBe(false);
  });
  it('finds uncovered binaries, glob-aware', () => {
    const entries = { k: { binaries: [{ path: '/usr/bin/python3*' }, { path: '/usr/bin/curl' }] } };
    expect(
      uncoveredBinaries(entries, ['/usr/bin/python3', '/usr/bin/curl', '/usr/bin/node']),
    ).toEqual([{ key: 'k', binary: '/usr/bin/node' }]);
  });
  it.each([
    ['my-api.yaml', undefined, 'my-api'],
    ['/tmp/My API.YML', undefined, 'my-api'],
    ['x.yaml', 'declared', 'declared'],
    ['___.yaml', undefined, 'custom'],
  ])('custom policy name of %s', (f, d, want) => expect(customPolicyName(f, d)).toBe(want));
});
