/**
 * `policy-add` and `policy-remove`: observe the live policy → plan the merge (pure) → render (a
 * diff for --dry-run) → confirm → apply (`policy set --wait`) → record in the registry, so that a
 * rebuild or re-onboard puts the same presets back.
 */
import { basename, resolve } from 'node:path';
import type { Context } from '../context.ts';
import { ask, assertCanAsk, consentMode } from '../core/consent.ts';
import { NemoclawError, UsageError } from '../core/errors.ts';
import { formatPlan } from '../core/plan.ts';
import {
  planPolicyChange,
  recordPolicyChange,
  requestLabel,
  type PolicyChangePlan,
  type PolicyRequest,
} from '../core/policy/change-plan.ts';
import { unifiedDiff } from '../core/policy/diff.ts';
import type { MergeResult, PolicyPatch } from '../core/policy/merge.ts';
import { parseCustomPolicyFile } from '../core/policy/parse.ts';
import { customPolicyName, ownershipConflicts } from '../core/policy/presets.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import {
  customPatch,
  findPreset,
  keyOwnersFor,
  liveNetworkPolicies,
  livePolicyYaml,
  presetsOf,
  sandboxEntry,
  unknownPresetError,
  withPolicyLock,
  type PolicyDeps,
} from './policy-shared.ts';
import { reportingHooks } from './plan-hooks.ts';

export interface PolicyAddOptions {
  sandbox: string;
  preset?: string;
  fromFile?: string;
  yes?: boolean;
  dryRun?: boolean;
}

export interface PolicyRemoveOptions {
  sandbox: string;
  name: string;
  yes?: boolean;
  dryRun?: boolean;
}

type Target =
  { kind: 'preset'; patch: PolicyPatch } | { kind: 'custom'; patch: PolicyPatch; content: string };

export async function policyAdd(
  ctx: Context,
  deps: PolicyDeps,
  o: PolicyAddOptions,
): Promise<number> {
  if (Boolean(o.preset) === Boolean(o.fromFile)) {
    throw new UsageError('Give either a preset name or --from-file <file>, not both or neither.', {
      hint: `Example: nemoclaw ${o.sandbox} policy-add npm`,
    });
  }
  requireConsentPossible(ctx, o, 'policy-add');
  return withPolicyLock(ctx, deps, o.sandbox, () => lockedAdd(ctx, deps, o));
}

async function lockedAdd(ctx: Context, deps: PolicyDeps, o: PolicyAddOptions): Promise<number> {
  const entry = await sandboxEntry(ctx, o.sandbox);
  const presets = await presetsOf(deps);
  let target: Target;
  if (o.preset) {
    const p = findPreset(presets, o.preset);
    if (!p)
      throw unknownPresetError(
        presets,
        o.preset,
        entry.customPolicies.map((c) => c.name),
      );
    target = { kind: 'preset', patch: p };
  } else {
    const path = resolve(ctx.cwd, o.fromFile!);
    let content: string;
    const { readBoundedText } = await deps.files();
    const { INPUT_LIMITS } = await import('../core/limits.ts');
    try {
      content = await readBoundedText(path, INPUT_LIMITS.policyFileBytes, 'The policy file');
    } catch (e) {
      if (e instanceof NemoclawError) throw e;
      throw new UsageError(`Cannot read ${path}: ${(e as Error).message}`);
    }
    const f = parseCustomPolicyFile(content, path);
    const name = customPolicyName(basename(path), f.preset?.name);
    if (findPreset(presets, name)) {
      throw new UsageError(`A custom policy cannot take the name of the built-in preset ${name}.`, {
        hint: 'Rename the file or set preset.name in it.',
      });
    }
    target = { kind: 'custom', patch: { name, entries: f.network_policies }, content };
  }

  // Keys belong to one owner (the baseline, a preset or a custom policy), so that adding one never
  // replaces another's entry and removing one never removes another's.
  const owners = await keyOwnersFor(deps.baseline, entry, presets, target.patch.name, {
    custom: target.kind === 'custom',
  });
  const conflicts = ownershipConflicts(target.patch, owners);
  if (conflicts.length > 0) {
    const c = conflicts[0]!;
    throw new UsageError(
      `${target.patch.name} would replace network_policies.${c.key}, which belongs to ${c.owner}.`,
      {
        hint: `Use a different key in the custom policy${c.owner.includes('baseline') ? ' (the baseline cannot be replaced)' : ', or remove the other one first'}. Taken keys: ${conflicts.map((x) => x.key).join(', ')}.`,
      },
    );
  }

  const request: PolicyRequest =
    target.kind === 'preset'
      ? { op: 'add', patch: target.patch }
      : { op: 'add', patch: target.patch, custom: { content: target.content } };
  return execute(ctx, deps, o, await plan(ctx, deps, entry, request), {
    question: `Apply the ${requestLabel(request)} to sandbox ${o.sandbox}?`,
    done: `Applied the ${requestLabel(request)} to sandbox ${o.sandbox}`,
  });
}

export async function policyRemove(
  ctx: Context,
  deps: PolicyDeps,
  o: PolicyRemoveOptions,
): Promise<number> {
  requireConsentPossible(ctx, o, 'policy-remove');
  return withPolicyLock(ctx, deps, o.sandbox, () => lockedRemove(ctx, deps, o));
}

async function lockedRemove(
  ctx: Context,
  deps: PolicyDeps,
  o: PolicyRemoveOptions,
): Promise<number> {
  const entry = await sandboxEntry(ctx, o.sandbox);
  const presets = await presetsOf(deps);
  const custom = entry.customPolicies.find((c) => c.name === o.name);
  const preset = findPreset(presets, o.name);
  const patch = custom ? customPatch(custom) : preset;
  if (!patch)
    throw unknownPresetError(
      presets,
      o.name,
      entry.customPolicies.map((c) => c.name),
    );
  // Never delete a key another owner has (a custom policy recorded before keys were checked).
  const owners = await keyOwnersFor(deps.baseline, entry, presets, o.name, { custom: false });
  const keys = Object.keys(patch.entries).filter((k) => !owners.has(k));
  const request: PolicyRequest = { op: 'remove', name: o.name, keys, custom: Boolean(custom) };
  return execute(ctx, deps, o, await plan(ctx, deps, entry, request), {
    question: `Remove the ${requestLabel(request)} from sandbox ${o.sandbox}?`,
    done: `Removed the ${requestLabel(request)} from sandbox ${o.sandbox}`,
  });
}

/** Refuses before any work when nobody could answer the confirmation. Dry runs ask nothing. */
function requireConsentPossible(
  ctx: Context,
  o: { yes?: boolean; dryRun?: boolean },
  verb: string,
) {
  assertCanAsk(`${verb} changes the sandbox's network policy`, {
    yes: o.yes,
    dryRun: o.dryRun,
    env: ctx.env,
    stdinIsTTY: ctx.ui.stdinIsTTY,
    retry: `nemoclaw <sandbox> ${verb}`,
  });
}

/** Observe (the live policy; the registry entry was read by the caller), then plan (pure). */
async function plan(
  ctx: Context,
  deps: PolicyDeps,
  entry: SandboxEntry,
  request: PolicyRequest,
): Promise<PolicyChangePlan> {
  const live = await livePolicyYaml(deps, entry.name);
  const p = planPolicyChange({ sandbox: entry.name, entry, live, request, now: ctx.now() });
  const { added, replaced, removed } = p.merge;
  ctx.log.info(
    { sandbox: entry.name, added, replaced, removed, steps: p.steps.map((s) => s.kind) },
    'policy change planned',
  );
  return p;
}

interface Execution {
  question: string;
  done: string;
}

/** Render → consent (only when the live policy changes) → run exactly the plan's steps. */
async function execute(
  ctx: Context,
  deps: PolicyDeps,
  o: { sandbox: string; yes?: boolean; dryRun?: boolean },
  p: PolicyChangePlan,
  x: Execution,
): Promise<number> {
  const diff = p.policyChanges
    ? unifiedDiff(p.merge.before, p.merge.after, {
        fromLabel: `${o.sandbox} (live policy)`,
        toLabel: `${o.sandbox} (after)`,
      })
    : undefined;
  for (const n of p.notes) ctx.ui.info(n);
  if (o.dryRun) {
    if (diff) ctx.ui.out(diff);
    if (p.steps.length > 0) ctx.ui.out(formatPlan(p));
    ctx.ui.info('Dry run: nothing was changed.');
    return 0;
  }
  if (p.steps.length === 0) return 0;
  if (p.policyChanges) {
    const consent = { yes: o.yes, env: ctx.env, stdinIsTTY: ctx.ui.stdinIsTTY };
    if (consentMode(consent) === 'ask' && diff) ctx.ui.info(diff);
    const confirm = deps.confirm;
    if (!(await ask(x.question, { ...consent, retry: `nemoclaw ${o.sandbox} policy`, confirm }))) {
      ctx.ui.info('Nothing was changed.');
      return 1;
    }
  }
  let version: number | undefined;
  const { runPlan } = await import('../core/plan-run.ts');
  await runPlan(
    p,
    {
      'openshell.policy.set': async () => {
        const { withPolicyFile } = await deps.files();
        try {
          const r = await withPolicyFile(p.merge.after, (file) =>
            deps.openshell.policySet(o.sandbox, file, { wait: true }),
          );
          version = r.version;
        } catch (e) {
          throw applyError(e, o.sandbox);
        }
      },
      'openshell.policy.verify': () => verifyLanded(deps, o.sandbox, p.merge),
      'registry.entry.update': () =>
        recordEntry(ctx, o.sandbox, (e) => recordPolicyChange(e, p.request, ctx.now())),
    },
    reportingHooks(ctx),
  );
  if (p.policyChanges) {
    ctx.ui.info(`✓ ${x.done}${version !== undefined ? ` (policy version ${version})` : ''}.`);
  }
  return 0;
}

/** After `policy set`: the live policy must hold exactly what was set for the changed keys. */
async function verifyLanded(deps: PolicyDeps, sandbox: string, merge: MergeResult): Promise<void> {
  const { parsePolicy } = await import('../core/policy/parse.ts');
  const { driftFromLive, describeDrift, stillPresent } =
    await import('../core/policy/live-check.ts');
  const live = await liveNetworkPolicies(deps, sandbox);
  const after = parsePolicy(merge.after, 'the merged policy').policy.network_policies ?? {};
  const keys = [...merge.added, ...merge.replaced];
  const entries = Object.fromEntries(keys.map((k) => [k, after[k]!]));
  const drift = driftFromLive(live, [{ name: 'this change', entries }]);
  const left = stillPresent(live, merge.removed);
  if (drift.length === 0 && left.length === 0) return;
  throw new NemoclawError(
    'failed',
    `OpenShell accepted the policy for sandbox ${sandbox}, but the live policy does not hold the change: ${[
      drift.length ? describeDrift(drift) : '',
      left.length ? `still present ${left.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ')}. The registry was not changed.`,
    {
      hint: `Another tool may have changed the policy at the same time. Check \`nemoclaw ${sandbox} status\` and run the command again.`,
    },
  );
}

function applyError(e: unknown, sandbox: string): unknown {
  if (!(e instanceof NemoclawError)) return e;
  if (e.kind === 'timeout' || e.exitCode === 124 || e.detail?.exitCode === 124) {
    return new NemoclawError(
      'timeout',
      `OpenShell accepted the policy for sandbox ${sandbox} but did not report it loaded in time.`,
      {
        cause: e,
        hint: `Check \`openshell policy list ${sandbox}\`; if the revision failed, run the same command again (it is safe to repeat).`,
      },
    );
  }
  return e;
}

async function recordEntry(ctx: Context, sandbox: string, fn: (e: SandboxEntry) => SandboxEntry) {
  await ctx.registry().update((reg) => {
    const e = reg.sandboxes[sandbox];
    if (!e) return undefined;
    return { ...reg, sandboxes: { ...reg.sandboxes, [sandbox]: fn(e) } };
  });
}
