/**
 * `policy-add` / `policy-remove` as a plan (issue 17 item 3). Pure: from what was observed (the
 * registry's record of the sandbox, the live policy) and the request, the steps that run, and
 * nothing else runs. The live policy and the registry are compared separately, so a preset the
 * live policy has and the registry does not is recorded, and the plan says so (it is not "nothing
 * to change").
 */
import type { Plan, PlanStep } from '../plan.ts';
import type { SandboxEntry } from '../registry/schema.ts';
import { applyPolicyChanges, type MergeResult, type PolicyPatch } from './merge.ts';

export type PolicyChangeStepKind =
  'openshell.policy.set' | 'openshell.policy.verify' | 'registry.entry.update';

export type PolicyChangeStep = PlanStep<PolicyChangeStepKind>;

export type PolicyRequest =
  | { op: 'add'; patch: PolicyPatch; custom?: { content: string } }
  | {
      op: 'remove';
      name: string;
      /** The keys to delete: the patch's keys that no other owner has. */
      keys: string[];
      custom: boolean;
    };

export interface PolicyChangeInput {
  sandbox: string;
  /** The sandbox's record in the registry, as read before the change. */
  entry: SandboxEntry;
  /** The live policy (`policy get --full`). */
  live: string;
  request: PolicyRequest;
  now: Date;
}

export interface PolicyChangePlan extends Plan<PolicyChangeStep> {
  request: PolicyRequest;
  merge: MergeResult;
  /** "preset npm" or "custom policy mine". */
  label: string;
  /** The live policy changes (then the user is asked, and the diff shown). */
  policyChanges: boolean;
  /** The registry's record changes. */
  registryChanges: boolean;
  /** What to tell the user about the plan, one line each (no step, nothing hidden). */
  notes: string[];
}

export function requestName(r: PolicyRequest): string {
  return r.op === 'add' ? r.patch.name : r.name;
}

export function requestLabel(r: PolicyRequest): string {
  const custom = r.op === 'add' ? r.custom !== undefined : r.custom;
  return `${custom ? 'custom policy' : 'preset'} ${requestName(r)}`;
}

export function planPolicyChange(i: PolicyChangeInput): PolicyChangePlan {
  const { sandbox, request: r } = i;
  const label = requestLabel(r);
  const merge = applyPolicyChanges(
    i.live,
    [
      r.op === 'add'
        ? { kind: 'add', patch: r.patch }
        : { kind: 'remove', name: r.name, keys: r.keys },
    ],
    `the live policy of sandbox ${sandbox}`,
  );
  const registryChanges = recordPolicyChange(i.entry, r, i.now) !== i.entry;
  const steps: PolicyChangeStep[] = [];
  const notes: string[] = [];
  const adding = r.op === 'add';
  if (merge.changed) {
    const keys = (ks: string[]) => ks.map((k) => `network_policies.${k}`);
    const args: Record<string, unknown> = {};
    if (merge.added.length) args.add = keys(merge.added);
    if (merge.replaced.length) args.replace = keys(merge.replaced);
    if (merge.removed.length) args.remove = keys(merge.removed);
    args.wait = true;
    steps.push({
      kind: 'openshell.policy.set',
      target: sandbox,
      cause: `${adding ? 'add' : 'remove'} the ${label}: apply the merged policy and wait until it is loaded${merge.replaced.length ? ' (a live entry differs from the preset and is replaced)' : ''}`,
      args,
    });
    steps.push({
      kind: 'openshell.policy.verify',
      target: sandbox,
      cause: 'the live policy must hold exactly what was set before the registry records it',
    });
    if (merge.strippedReserved.length)
      notes.push(
        `OpenShell composes ${merge.strippedReserved.join(', ')} from providers; they are left to it.`,
      );
    if (merge.versionAdded) notes.push('The live policy had no version; version: 1 is added.');
  } else if (registryChanges) {
    notes.push(
      adding
        ? `The live policy of sandbox ${sandbox} already has the ${label}, but the registry does not record it: recording it.`
        : `The live policy of sandbox ${sandbox} does not have the ${label}, but the registry records it: forgetting it.`,
    );
  } else {
    notes.push(
      adding
        ? `The ${label} is already applied to sandbox ${sandbox}; nothing to change.`
        : `The ${label} is not applied to sandbox ${sandbox}; nothing to change.`,
    );
  }
  if (registryChanges) {
    steps.push({
      kind: 'registry.entry.update',
      target: sandbox,
      cause: adding
        ? `record the ${label}, so that a rebuild or re-onboard restores it`
        : `forget the ${label}, so that a rebuild or re-onboard does not restore it`,
    });
  }
  return {
    title: `${adding ? 'add' : 'remove'} ${label} ${adding ? 'to' : 'from'} sandbox ${sandbox}`,
    steps,
    request: r,
    merge,
    label,
    policyChanges: merge.changed,
    registryChanges,
    notes,
  };
}

/** The registry record after the request; the same object when nothing changes. */
export function recordPolicyChange(e: SandboxEntry, r: PolicyRequest, now: Date): SandboxEntry {
  const updatedAt = now.toISOString();
  if (r.op === 'add') {
    if (!r.custom) {
      if (e.presets.includes(r.patch.name)) return e;
      return { ...e, presets: [...e.presets, r.patch.name], updatedAt };
    }
    const had = e.customPolicies.find((c) => c.name === r.patch.name);
    if (had?.content === r.custom.content) return e;
    const rest = e.customPolicies.filter((c) => c.name !== r.patch.name);
    return {
      ...e,
      customPolicies: [...rest, { name: r.patch.name, content: r.custom.content }],
      updatedAt,
    };
  }
  const presets = e.presets.filter((p) => p !== r.name);
  const customPolicies = e.customPolicies.filter((c) => c.name !== r.name);
  if (presets.length === e.presets.length && customPolicies.length === e.customPolicies.length)
    return e;
  return { ...e, presets, customPolicies, updatedAt };
}
