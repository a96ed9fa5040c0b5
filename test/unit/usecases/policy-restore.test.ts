/** The policy use cases: restoring the recorded policies after a rebuild or re-onboard, and at creation, in the policy world of test/helpers/policy-world.ts. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composePolicy } from '../../../src/core/policy/merge.ts';
import { parsePolicy } from '../../../src/core/policy/parse.ts';
import { policyAdd } from '../../../src/usecases/policy-change.ts';
import { recordedPatches } from '../../../src/usecases/policy-shared.ts';
import { creationPolicy, ensurePolicies } from '../../../src/usecases/policy-restore.ts';
import {
  baseline,
  packagedFiles,
  presets,
  rejects,
  usePolicyWorld,
} from '../../helpers/policy-world.ts';

const w = usePolicyWorld();
const { t, makeCtx, deps, recorded, liveKeys } = w;

describe('restoring after a rebuild or re-onboard', () => {
  it('the recorded presets and custom policies compose the same network policy', async () => {
    await writeFile(
      join(t.home, 'corp.yaml'),
      'network_policies:\n  corp:\n    endpoints: [{ host: corp.example.com, port: 443 }]\n    binaries: [{ path: /usr/bin/curl }]\n',
    );
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'github', yes: true });
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'corp.yaml', yes: true });
    const rebuilt = composePolicy(baseline, recordedPatches(await recorded(), presets));
    expect(Object.keys(parse(rebuilt).network_policies).sort()).toEqual(liveKeys().sort());
  });
});

describe('onboarding and rebuild helpers', () => {
  it('creationPolicy: the baseline plus recorded presets and custom policies, valid', async () => {
    const custom = {
      name: 'corp',
      content:
        'network_policies:\n  corp:\n    endpoints: [{ host: corp.example.com, port: 443 }]\n    binaries: [{ path: /usr/bin/curl }]\n',
    };
    const yaml = await creationPolicy(packagedFiles, {
      agent: 'hermes',
      presets: ['npm', 'pypi'],
      customPolicies: [custom],
    });
    const p = parsePolicy(yaml, 'creation').policy;
    expect(Object.keys(p.network_policies!)).toEqual(['npm_registry', 'pypi', 'corp']);
    expect(p.process).toEqual({ run_as_user: 'sandbox', run_as_group: 'sandbox' });
  });

  it('ensurePolicies: applies a tier in one set and never drops what the user added', async () => {
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'slack', yes: true });
    const r = await ensurePolicies(makeCtx(), deps(), {
      sandbox: 'alpha',
      presets: ['npm', 'pypi'],
    });
    expect(r).toMatchObject({
      presets: ['npm', 'pypi', 'slack'],
      changed: true,
      added: ['npm_registry', 'pypi'],
    });
    expect(w.openshell.sets).toHaveLength(2);
    expect(liveKeys()).toEqual(['clawhub', 'openclaw_docs', 'slack', 'npm_registry', 'pypi']);
    expect((await recorded()).presets).toEqual(['npm', 'pypi', 'slack']);
    // Re-onboarding with the restricted tier keeps them all and changes nothing.
    const again = await ensurePolicies(makeCtx(), deps(), { sandbox: 'alpha', presets: [] });
    expect(again.changed).toBe(false);
    expect(w.openshell.sets).toHaveLength(2);
    expect((await recorded()).presets).toEqual(['npm', 'pypi', 'slack']);
  });

  it('ensurePolicies: restores recorded presets on a fresh (rebuilt) sandbox', async () => {
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'github', yes: true });
    w.openshell.yaml = baseline; // the rebuilt sandbox starts from the baseline
    await ensurePolicies(makeCtx(), deps(), { sandbox: 'alpha', presets: [] });
    expect(liveKeys()).toContain('github');
  });

  it('ensurePolicies: refuses an unknown preset name', async () => {
    const e = await rejects(
      ensurePolicies(makeCtx(), deps(), { sandbox: 'alpha', presets: ['nope'] }),
    );
    expect(e.exitCode).toBe(2);
  });
});
