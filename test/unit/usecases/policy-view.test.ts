/** The policy use cases: policy-list, policy-get and policy-check, in the policy world of test/helpers/policy-world.ts. */
import { describe, expect, it } from 'vitest';
import { policyAdd } from '../../../src/usecases/policy-change.ts';
import { policyCheck, policyGet, policyList } from '../../../src/usecases/policy-view.ts';
import { baseline, rejects, usePolicyWorld } from '../../helpers/policy-world.ts';

const w = usePolicyWorld();
const { t, makeCtx, deps } = w;

describe('policy-list', () => {
  it('marks applied (●) and not applied (○) presets from the live policy', async () => {
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true });
    t.out.length = 0;
    await policyList(makeCtx(), deps(), { sandbox: 'alpha' });
    const text = t.out.join('');
    expect(text).toMatch(/● npm +npm and Yarn/);
    expect(text).toMatch(/○ pypi/);
  });

  it('--json, and notes drift between the registry and the live policy', async () => {
    await makeCtx()
      .registry()
      .update((r) => ({
        ...r,
        sandboxes: { alpha: { ...r.sandboxes.alpha!, presets: ['pypi'] } },
      }));
    await policyList(makeCtx(), deps(), { sandbox: 'alpha', json: true });
    const doc = JSON.parse(t.out.join(''));
    expect(doc).toMatchObject({ schemaVersion: 1, sandbox: 'alpha', source: 'live' });
    expect(doc.presets.find((p: { name: string }) => p.name === 'pypi')).toMatchObject({
      applied: false,
      recorded: true,
    });
  });

  it('falls back to the registry with a warning when the live policy cannot be read', async () => {
    w.openshell.yaml = 'garbage: [';
    await policyList(makeCtx(), deps(), { sandbox: 'alpha', json: true });
    expect(JSON.parse(t.out.join('')).source).toBe('registry');
    expect(t.err.join('')).toMatch(/Cannot read the live policy/);
  });
});

describe('policy-get', () => {
  it('prints the YAML, with metadata as comments unless --raw', async () => {
    await policyGet(makeCtx(), deps(), { sandbox: 'alpha' });
    expect(t.out.join('')).toMatch(
      /^# Effective policy of sandbox alpha\n# version 1, hash a1b2c3d4e5f6, status Loaded/,
    );
    t.out.length = 0;
    await policyGet(makeCtx(), deps(), { sandbox: 'alpha', raw: true });
    expect(t.out.join('')).toBe(`${baseline.trimEnd()}\n`);
  });
});

describe('policy-check', () => {
  it.each([
    [
      'https://clawhub.com/skills',
      {},
      0,
      /^ALLOWED +GET https:\/\/clawhub.com\/skills\n {2}by network_policies\.clawhub\.endpoints\[0\] access: read-only/,
    ],
    [
      'https://clawhub.com/skills',
      { method: 'POST' },
      1,
      /DENIED.*\n.*no rule allows POST \/skills/,
    ],
    [
      'https://clawhub.com/skills',
      { binary: '/usr/bin/curl' },
      1,
      /allowed binaries: \/usr\/local\/bin\/openclaw, \/usr\/bin\/node/,
    ],
    [
      'https://registry.npmjs.org/left-pad',
      {},
      1,
      /the preset npm would allow it: nemoclaw alpha policy-add npm/,
    ],
    ['https://nowhere.example.org/', {}, 1, /no preset allows it/],
  ])('%s %j → exit %i', async (url, o, code, want) => {
    expect(await policyCheck(makeCtx(), deps(), { sandbox: 'alpha', url, ...o })).toBe(code);
    expect(t.out.join('')).toMatch(want);
  });

  it('--json', async () => {
    await policyCheck(makeCtx(), deps(), {
      sandbox: 'alpha',
      url: 'https://pypi.org/simple/x/',
      json: true,
    });
    expect(JSON.parse(t.out.join(''))).toMatchObject({
      schemaVersion: 1,
      decision: 'deny',
      reason: 'no-endpoint',
      suggestions: ['pypi'],
    });
  });

  it.each([
    ['not a url', {}],
    ['ftp://x.example.com/', {}],
    ['https://x.example.com/', { method: 'GE T' }],
    ['https://x.example.com/', { binary: 'curl' }],
  ])('usage errors exit 2: %s %j', async (url, o) => {
    const e = await rejects(policyCheck(makeCtx(), deps(), { sandbox: 'alpha', url, ...o }));
    expect(e.exitCode).toBe(2);
  });
});
