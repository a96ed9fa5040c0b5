/**
 * planPolicyChange (src/core/policy/change-plan.ts): the live policy and the registry are compared
 * separately, and the printed plan lists every step that runs — including the registry write when
 * the live policy already has the change (issue 17 item 3).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBaseline, loadPresets } from '../../../../src/adapters/policy/assets.ts';
import { formatPlan } from '../../../../src/core/plan.ts';
import { runPlan } from '../../../../src/core/plan-run.ts';
import {
  planPolicyChange,
  recordPolicyChange,
  type PolicyRequest,
} from '../../../../src/core/policy/change-plan.ts';
import { composePolicy, type PolicyPatch } from '../../../../src/core/policy/merge.ts';
import type { SandboxEntry } from '../../../../src/core/registry/schema.ts';
import { sandboxEntry } from '../../../helpers/context.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const presets = await loadPresets(ROOT);
const baseline = await loadBaseline(ROOT, 'openclaw');
const npm = presets.find((p) => p.name === 'npm')!;
const now = new Date('2026-03-03T00:00:00.000Z');

const entry = sandboxEntry;

const add: PolicyRequest = { op: 'add', patch: npm };
const remove: PolicyRequest = {
  op: 'remove',
  name: 'npm',
  keys: Object.keys(npm.entries),
  custom: false,
};
const withNpm = composePolicy(baseline, [npm]);
const plan = (e: SandboxEntry, live: string, request: PolicyRequest) =>
  planPolicyChange({ sandbox: 'alpha', entry: e, live, request, now });
const kinds = (p: { steps: { kind: string }[] }) => p.steps.map((s) => s.kind);

describe('planPolicyChange: add', () => {
  it('neither has it: set, verify, then record; the printed plan names each step', () => {
    const p = plan(entry(), baseline, add);
    expect(kinds(p)).toEqual([
      'openshell.policy.set',
      'openshell.policy.verify',
      'registry.entry.update',
    ]);
    expect(p.policyChanges).toBe(true);
    expect(p.registryChanges).toBe(true);
    expect(p.steps[0]!.args).toMatchObject({ add: ['network_policies.npm_registry'], wait: true });
    const text = formatPlan(p);
    expect(text).toMatch(/^Plan: add preset npm to sandbox alpha$/m);
    expect(text).toMatch(/1\. openshell\.policy\.set alpha/);
    expect(text).toMatch(/2\. openshell\.policy\.verify alpha/);
    expect(text).toMatch(/3\. registry\.entry\.update alpha/);
  });

  it('live has it, the registry does not: the plan is the registry write, and says so', () => {
    const p = plan(entry(), withNpm, add);
    expect(kinds(p)).toEqual(['registry.entry.update']);
    expect(p.policyChanges).toBe(false);
    expect(p.notes.join('\n')).toMatch(/registry does not record it: recording it/);
    expect(p.notes.join('\n')).not.toMatch(/nothing to change/);
    expect(formatPlan(p)).toMatch(
      /1\. registry\.entry\.update alpha\n\s+why: record the preset npm/,
    );
  });

  it('both have it: no step, and "nothing to change"', () => {
    const p = plan(entry({ presets: ['npm'] }), withNpm, add);
    expect(p.steps).toEqual([]);
    expect(p.notes).toEqual([
      'The preset npm is already applied to sandbox alpha; nothing to change.',
    ]);
  });

  it('the registry has it, live does not: set and verify, no registry write', () => {
    const p = plan(entry({ presets: ['npm'] }), baseline, add);
    expect(kinds(p)).toEqual(['openshell.policy.set', 'openshell.policy.verify']);
  });

  it('a custom policy with new content is recorded again even when live already matches', () => {
    const mine: PolicyPatch = { name: 'mine', entries: npm.entries };
    const request: PolicyRequest = { op: 'add', patch: mine, custom: { content: 'new' } };
    const e = entry({ customPolicies: [{ name: 'mine', content: 'old' }] });
    const p = plan(e, composePolicy(baseline, [mine]), request);
    expect(kinds(p)).toEqual(['registry.entry.update']);
    expect(p.label).toBe('custom policy mine');
    expect(recordPolicyChange(e, request, now).customPolicies).toEqual([
      { name: 'mine', content: 'new' },
    ]);
  });
});

describe('planPolicyChange: remove', () => {
  it('both have it: set (removing exactly its keys), verify, forget', () => {
    const p = plan(entry({ presets: ['npm'] }), withNpm, remove);
    expect(kinds(p)).toEqual([
      'openshell.policy.set',
      'openshell.policy.verify',
      'registry.entry.update',
    ]);
    expect(p.steps[0]!.args).toMatchObject({ remove: ['network_policies.npm_registry'] });
    expect(p.merge.after).not.toContain('npm_registry');
  });

  it('the registry has it, live does not: the plan forgets it, and says so', () => {
    const p = plan(entry({ presets: ['npm'] }), baseline, remove);
    expect(kinds(p)).toEqual(['registry.entry.update']);
    expect(p.notes.join('\n')).toMatch(/registry records it: forgetting it/);
  });

  it('neither has it: nothing to change', () => {
    const p = plan(entry(), baseline, remove);
    expect(p.steps).toEqual([]);
    expect(p.notes.join('\n')).toMatch(/not applied to sandbox alpha; nothing to change/);
  });
});

describe('recordPolicyChange', () => {
  it('returns the same record when nothing changes, else stamps updatedAt', () => {
    const e = entry({ presets: ['npm'] });
    expect(recordPolicyChange(e, add, now)).toBe(e);
    const r = recordPolicyChange(e, remove, now);
    expect(r.presets).toEqual([]);
    expect(r.updatedAt).toBe(now.toISOString());
  });
});

describe('the printed plan is what runs', () => {
  it('the executor calls one handler per printed step, in the printed order', async () => {
    const p = plan(entry(), baseline, add);
    const ran: string[] = [];
    const h = (k: string) => async () => void ran.push(k);
    await runPlan(p, {
      'openshell.policy.set': h('openshell.policy.set'),
      'openshell.policy.verify': h('openshell.policy.verify'),
      'registry.entry.update': h('registry.entry.update'),
    });
    const printed = [...formatPlan(p).matchAll(/^\s+\d+\. (\S+) /gm)].map((m) => m[1]);
    expect(ran).toEqual(printed);
  });
});
