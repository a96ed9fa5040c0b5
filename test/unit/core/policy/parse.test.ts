import { describe, expect, it } from 'vitest';
import {
  parseCustomPolicyFile,
  parseEffectivePolicy,
  parsePresetFile,
  parseTiersFile,
} from '../../../../src/core/policy/parse.ts';
import { STATIC } from '../../../helpers/policy-texts.ts';

describe('preset, custom policy, tiers and effective policy files', () => {
  const preset = `preset: { name: demo, description: A demo }
network_policies:
  demo:
    endpoints: [{ host: a.example.com, port: 443, protocol: rest, access: read-only }]
    binaries: [{ path: /usr/bin/curl }]
`;
  it('parses a preset', () => {
    expect(parsePresetFile(preset, 'demo.yaml').preset.name).toBe('demo');
  });
  it.each([
    ['no header', preset.replace(/^preset:.*\n/, ''), /preset: is required/],
    [
      'unknown header key',
      preset.replace('description: A demo', 'description: A demo, x: 1'),
      /preset\.x: unknown key/,
    ],
    [
      'empty entries',
      'preset: { name: demo, description: d }\nnetwork_policies: {}\n',
      /at least one/,
    ],
    [
      'a static section',
      `${preset}landlock: { compatibility: best_effort }\n`,
      /landlock: unknown key/,
    ],
    ['bad name', preset.replace('name: demo', 'name: Demo_1'), /lower-case/],
  ])('rejects a preset with %s', (_n, text, want) => {
    expect(() => parsePresetFile(text, 'demo.yaml')).toThrow(want);
  });
  it('accepts a custom policy with or without a header', () => {
    expect(parseCustomPolicyFile(preset, 'f.yaml').preset?.name).toBe('demo');
    const bare = preset.replace(/^preset:.*\n/, '');
    expect(Object.keys(parseCustomPolicyFile(bare, 'f.yaml').network_policies)).toEqual(['demo']);
    expect(() => parseCustomPolicyFile(`version: 1\n${bare}`, 'f.yaml')).not.toThrow();
  });
  it('rejects a custom policy that tries to change static sections', () => {
    expect(() =>
      parseCustomPolicyFile(`${preset}process: { run_as_user: sandbox }\n`, 'f.yaml'),
    ).toThrow(/process: unknown key/);
  });
  it('rejects tiers naming an unknown tier', () => {
    const t = `default: balanced
tiers:
  restricted: { description: r, presets: [] }
  balanced: { description: b, presets: [npm] }
  open: { description: o, presets: [npm] }
`;
    expect(parseTiersFile(t, 't.yaml').default).toBe('balanced');
    expect(() => parseTiersFile(t.replace('default: balanced', 'default: wide'), 't.yaml')).toThrow(
      /default/,
    );
    expect(() =>
      parseTiersFile(`${t}  personal: { description: p, presets: [] }\n`, 't.yaml'),
    ).toThrow(/tiers\.personal: unknown key/);
  });
  it('accepts provider entries in the effective policy, and checks them too', () => {
    const eff = `${STATIC}network_policies:\n  _provider_github:\n    endpoints: [{ host: api.github.com, port: 443 }]\n    binaries: [{ path: /usr/bin/gh }]\n`;
    expect(Object.keys(parseEffectivePolicy(eff, 'e').networkPolicies)).toEqual([
      '_provider_github',
    ]);
    expect(() => parseEffectivePolicy(eff.replace('port: 443', 'prt: 443'), 'e')).toThrow(/prt/);
  });
});
