/** The policy use cases: policy-add and policy-remove (presets and custom policies), in the policy world of test/helpers/policy-world.ts. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { policyAdd, policyRemove } from '../../../src/usecases/policy-change.ts';
import { NemoclawError } from '../../../src/core/errors.ts';
import {
  baseline,
  packagedFiles,
  presets,
  rejects,
  usePolicyWorld,
} from '../../helpers/policy-world.ts';

const w = usePolicyWorld();
const { t, makeCtx, deps, recorded, liveKeys } = w;

describe('policy-add', () => {
  it('merges the preset, applies it with --wait from a 0600 file, and records it', async () => {
    expect(await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true })).toBe(
      0,
    );
    expect(w.openshell.sets).toHaveLength(1);
    expect(w.openshell.sets[0]!.mode).toBe(0o600);
    expect(w.openshell.sets[0]!.content).not.toMatch(/^preset:/m);
    expect(liveKeys()).toEqual(['clawhub', 'openclaw_docs', 'npm_registry']);
    expect((await recorded()).presets).toEqual(['npm']);
    expect((await recorded()).updatedAt).toBe('2026-02-02T00:00:00.000Z');
    expect(t.err.join('')).toMatch(/Applied the preset npm to sandbox alpha \(policy version 2\)/);
  });

  it('re-adding is a no-op: no policy set, even after OpenShell re-serialised it', async () => {
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true });
    expect(await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true })).toBe(
      0,
    );
    expect(w.openshell.sets).toHaveLength(1);
    expect(t.err.join('')).toMatch(/already applied/);
    expect((await recorded()).presets).toEqual(['npm']);
  });

  it('--dry-run prints a diff and changes nothing, without a terminal or --yes', async () => {
    expect(
      await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', dryRun: true }),
    ).toBe(0);
    const diff = t.out.join('');
    expect(diff).toMatch(/^--- alpha \(live policy\)\n\+\+\+ alpha \(after\)\n@@/);
    expect(diff).toContain('+  npm_registry:');
    expect(diff).not.toMatch(/^-(?!--)/m);
    expect(t.err.join('')).toMatch(/Dry run: nothing was changed/);
    expect(w.openshell.sets).toHaveLength(0);
    expect((await recorded()).presets).toEqual([]);
  });

  it('without a terminal and without --yes it exits 2 before touching OpenShell', async () => {
    const e = await rejects(policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm' }));
    expect(e.exitCode).toBe(2);
    expect(e.hint).toMatch(/--yes/);
    expect(w.openshell.gets).toBe(0);
  });

  it('NEMOCLAW_NON_INTERACTIVE=1 acts as --yes', async () => {
    const ctx = makeCtx({ env: { NEMOCLAW_NON_INTERACTIVE: '1' } });
    expect(await policyAdd(ctx, deps(), { sandbox: 'alpha', preset: 'npm' })).toBe(0);
    expect(w.openshell.sets).toHaveLength(1);
  });

  it('asks on a terminal; "no" changes nothing', async () => {
    const asked: string[] = [];
    const confirm = async (q: string) => (asked.push(q), false);
    const code = await policyAdd(makeCtx({ tty: true }), deps({ confirm }), {
      sandbox: 'alpha',
      preset: 'npm',
    });
    expect(code).toBe(1);
    expect(asked).toEqual(['Apply the preset npm to sandbox alpha?']);
    expect(t.err.join('')).toContain('+  npm_registry:');
    expect(w.openshell.sets).toHaveLength(0);
  });

  it('asks on a terminal; "yes" applies', async () => {
    const confirm = async () => true;
    expect(
      await policyAdd(makeCtx({ tty: true }), deps({ confirm }), {
        sandbox: 'alpha',
        preset: 'npm',
      }),
    ).toBe(0);
    expect(w.openshell.sets).toHaveLength(1);
  });

  it.each([
    ['YAML that does not parse', 'version: 1\nnetwork_policies: [\n'],
    ['a degraded answer', 'error: upstream unavailable\n'],
    ['an empty answer', ''],
  ])('refuses when the live policy is %s', async (_n, yaml) => {
    w.openshell.yaml = yaml;
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true }),
    );
    expect(e.kind).toBe('failed');
    expect(e.message).toMatch(/will not change it/);
    expect(w.openshell.sets).toHaveLength(0);
    expect((await recorded()).presets).toEqual([]);
  });

  it('maps a --wait timeout to a clear error and records nothing', async () => {
    w.openshell.fail = 'timeout';
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true }),
    );
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(/did not report it loaded in time/);
    expect(e.hint).toMatch(/openshell policy list alpha/);
    expect((await recorded()).presets).toEqual([]);
  });

  it('takes the policy file from the world: one that cannot be written sets and records nothing', async () => {
    const files = await packagedFiles.files();
    const full = deps({
      files: async () => ({
        ...files,
        withPolicyFile: async () => {
          throw new NemoclawError('failed', 'ENOSPC: no space left on device');
        },
      }),
    });
    const e = await rejects(
      policyAdd(makeCtx(), full, { sandbox: 'alpha', preset: 'npm', yes: true }),
    );
    expect(e.message).toMatch(/ENOSPC/);
    expect(w.openshell.sets).toHaveLength(0);
    expect((await recorded()).presets).toEqual([]);
  });

  it("leaves OpenShell's provider entries out of what it sends", async () => {
    w.openshell.yaml = `${baseline}  _provider_github:\n    endpoints: [{ host: api.github.com, port: 443 }]\n    binaries: [{ path: /usr/bin/gh }]\n`;
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true });
    expect(w.openshell.sets[0]!.content).not.toContain('_provider_');
  });

  it.each([
    [{ preset: 'nmp' }, /Unknown preset "nmp"/, /Did you mean npm/],
    [{}, /either a preset name or --from-file/, /policy-add npm/],
    [
      { preset: 'npm', fromFile: 'x.yaml' },
      /either a preset name or --from-file/,
      /policy-add npm/,
    ],
    [{ fromFile: 'missing.yaml' }, /Cannot read/, undefined],
  ])('usage errors exit 2: %j', async (o, msg, hint) => {
    const e = await rejects(policyAdd(makeCtx(), deps(), { sandbox: 'alpha', yes: true, ...o }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(msg);
    if (hint) expect(e.hint).toMatch(hint);
  });

  it('refuses an unregistered sandbox', async () => {
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'beta', preset: 'npm', yes: true }),
    );
    expect(e.kind).toBe('not-found');
  });
});

describe('policy-add --from-file (custom policies)', () => {
  const custom = `network_policies:
  internal_api:
    name: internal_api
    endpoints:
      - host: api.internal.example.com
        port: 443
        protocol: rest
        enforcement: enforce
        access: read-only
    binaries:
      - path: /usr/bin/node
`;
  it('applies it, records it by file name, and removes exactly its keys', async () => {
    await writeFile(join(t.home, 'my-api.yaml'), custom);
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'my-api.yaml', yes: true });
    expect(liveKeys()).toContain('internal_api');
    expect((await recorded()).customPolicies).toEqual([{ name: 'my-api', content: custom }]);

    await policyRemove(makeCtx(), deps(), { sandbox: 'alpha', name: 'my-api', yes: true });
    expect(liveKeys()).toEqual(['clawhub', 'openclaw_docs']);
    expect((await recorded()).customPolicies).toEqual([]);
  });

  it('names it by preset.name when the file declares one', async () => {
    await writeFile(
      join(t.home, 'f.yaml'),
      `preset: { name: corp, description: Corp API }\n${custom}`,
    );
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'f.yaml', yes: true });
    expect((await recorded()).customPolicies.map((c) => c.name)).toEqual(['corp']);
  });

  it('rejects an invalid file with its path and line, exit 2, before any change', async () => {
    await writeFile(
      join(t.home, 'bad.yaml'),
      custom.replace('access: read-only', 'acces: read-only'),
    );
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'bad.yaml', yes: true }),
    );
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(
      /bad\.yaml:9:9: network_policies\.internal_api\.endpoints\[0\]\.acces: unknown key/,
    );
    expect(w.openshell.gets).toBe(0);
  });

  it('refuses the name of a built-in preset', async () => {
    await writeFile(join(t.home, 'npm.yaml'), custom);
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'npm.yaml', yes: true }),
    );
    expect(e.message).toMatch(/built-in preset npm/);
  });

  it("refuses to take over another preset's key", async () => {
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true });
    await writeFile(join(t.home, 'mine.yaml'), custom.replaceAll('internal_api', 'npm_registry'));
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'mine.yaml', yes: true }),
    );
    expect(e.message).toMatch(/network_policies\.npm_registry, which belongs to npm/);
  });
});

describe('policy-remove', () => {
  it('deletes exactly the preset keys and forgets it', async () => {
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true });
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'pypi', yes: true });
    expect(
      await policyRemove(makeCtx(), deps(), { sandbox: 'alpha', name: 'npm', yes: true }),
    ).toBe(0);
    expect(liveKeys()).toEqual(['clawhub', 'openclaw_docs', 'pypi']);
    expect((await recorded()).presets).toEqual(['pypi']);
    expect(t.err.join('')).toMatch(/Removed the preset npm/);
  });

  it('is a no-op for a preset that is not applied', async () => {
    expect(
      await policyRemove(makeCtx(), deps(), { sandbox: 'alpha', name: 'npm', yes: true }),
    ).toBe(0);
    expect(w.openshell.sets).toHaveLength(0);
    expect(t.err.join('')).toMatch(/not applied/);
  });

  it('--dry-run shows only removed lines', async () => {
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true });
    await policyRemove(makeCtx(), deps(), { sandbox: 'alpha', name: 'npm', dryRun: true });
    expect(t.out.join('')).toMatch(/^- {2}npm_registry:/m);
    expect(t.out.join('')).not.toMatch(/^\+ /m);
    expect(w.openshell.sets).toHaveLength(1);
  });

  it('needs --yes without a terminal', async () => {
    const e = await rejects(policyRemove(makeCtx(), deps(), { sandbox: 'alpha', name: 'npm' }));
    expect(e.exitCode).toBe(2);
  });

  it('refuses an unknown name', async () => {
    const e = await rejects(
      policyRemove(makeCtx(), deps(), { sandbox: 'alpha', name: 'nope', yes: true }),
    );
    expect(e.exitCode).toBe(2);
  });
});

describe('a custom policy cannot shadow the baseline or another owner (issue 18 item 3)', () => {
  const ownKey = (key: string) =>
    `network_policies:\n  ${key}:\n    endpoints:\n      - {host: evil.example.com, port: 443, protocol: rest, access: read-only}\n    binaries: [{path: /usr/bin/curl}]\n`;

  it.each([
    ['clawhub', /network_policies\.clawhub, which belongs to the openclaw baseline policy/],
    ['npm_registry', /network_policies\.npm_registry, which belongs to the preset npm/],
    ['pypi', /belongs to the preset pypi|network_policies\.\w+, which belongs to the preset/],
  ])('refuses a key owned elsewhere: %s', async (key, re) => {
    const keys = Object.keys(
      (parse(baseline) as { network_policies: object }).network_policies,
    ).concat(presets.flatMap((p) => Object.keys(p.entries)));
    const k = key === 'pypi' ? presets.find((p) => p.name === 'pypi')!.entries : undefined;
    const chosen = k ? Object.keys(k)[0]! : key;
    expect(keys).toContain(chosen);
    await writeFile(join(t.home, 'shadow.yaml'), ownKey(chosen));
    const before = w.openshell.yaml;
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'shadow.yaml', yes: true }),
    );
    expect(e.message).toMatch(re);
    expect(w.openshell.yaml).toBe(before);
    expect(w.openshell.sets).toHaveLength(0);
    expect((await recorded()).customPolicies).toEqual([]);
  });

  it('refuses a key owned by another custom policy, naming it', async () => {
    await writeFile(join(t.home, 'first.yaml'), ownKey('internal_one'));
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'first.yaml', yes: true });
    await writeFile(join(t.home, 'second.yaml'), ownKey('internal_one'));
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'second.yaml', yes: true }),
    );
    expect(e.message).toMatch(/internal_one, which belongs to first/);
  });

  it('removing a custom policy recorded with a baseline key keeps the baseline entry', async () => {
    // A registry written before keys were checked: the custom policy claims clawhub.
    await makeCtx()
      .registry()
      .update((r) => {
        const a = r.sandboxes.alpha!;
        return {
          ...r,
          sandboxes: {
            ...r.sandboxes,
            alpha: { ...a, customPolicies: [{ name: 'old', content: ownKey('clawhub') }] },
          },
        };
      });
    expect(liveKeys()).toContain('clawhub');
    await policyRemove(makeCtx(), deps(), { sandbox: 'alpha', name: 'old', yes: true });
    expect(liveKeys()).toContain('clawhub');
    expect((await recorded()).customPolicies).toEqual([]);
  });
});
