/**
 * Policies for onboarding and rebuild (product.md §8 step 7, §10): the policy a sandbox is created
 * with, and bringing a live sandbox up to its presets in one `policy set`. The registry is the
 * record, so a rebuild or re-onboard puts back every preset and custom policy the user added.
 */
import type { Context } from '../context.ts';
import type { World } from '../world.ts';
import { NemoclawError } from '../core/errors.ts';
import { applyPolicyChanges, composePolicy, type PolicyPatch } from '../core/policy/merge.ts';
import { desiredPresets } from '../core/policy/presets.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import {
  customPatch,
  findPreset,
  livePolicyYaml,
  presetsOf,
  sandboxEntry,
  unknownPresetError,
  type PolicyDeps,
} from './policy-shared.ts';

function patchesFor(
  names: string[],
  custom: SandboxEntry['customPolicies'],
  presets: Awaited<ReturnType<typeof presetsOf>>,
): PolicyPatch[] {
  const out: PolicyPatch[] = [];
  for (const n of names) {
    const p = findPreset(presets, n);
    if (!p) throw unknownPresetError(presets, n);
    out.push(p);
  }
  for (const c of custom) out.push(customPatch(c));
  return out;
}

/** The full policy for `sandbox create --policy`: the agent's baseline plus the given presets. */
export async function creationPolicy(
  deps: Pick<World, 'presets' | 'baseline'>,
  o: Pick<SandboxEntry, 'agent' | 'presets' | 'customPolicies'>,
): Promise<string> {
  const baseline = await deps.baseline(o.agent);
  const presets = await presetsOf(deps);
  return composePolicy(
    baseline,
    patchesFor(o.presets, o.customPolicies, presets),
    `the ${o.agent} baseline`,
  );
}

export interface EnsureResult {
  presets: string[];
  changed: boolean;
  added: string[];
  replaced: string[];
}

/**
 * Makes the live policy hold `presets` plus every preset and custom policy already recorded (never
 * fewer), with one `policy set --wait` when something is missing, then records the union.
 * The caller has its answers already (onboarding) or its confirmation (rebuild); nothing is asked.
 */
export async function ensurePolicies(
  ctx: Context,
  deps: Pick<PolicyDeps, 'openshell' | 'presets' | 'files'>,
  o: { sandbox: string; presets: string[] },
): Promise<EnsureResult> {
  const entry = await sandboxEntry(ctx, o.sandbox);
  const presets = await presetsOf(deps);
  const names = desiredPresets({ tierPresets: o.presets, existing: entry.presets });
  const patches = patchesFor(names, entry.customPolicies, presets);
  const live = await livePolicyYaml(deps, o.sandbox);
  const merge = applyPolicyChanges(
    live,
    patches.map((patch) => ({ kind: 'add', patch })),
    `the live policy of sandbox ${o.sandbox}`,
  );
  if (merge.changed) {
    const { withPolicyFile } = await deps.files();
    try {
      await withPolicyFile(merge.after, (f) =>
        deps.openshell.policySet(o.sandbox, f, { wait: true }),
      );
    } catch (e) {
      if (e instanceof NemoclawError && e.kind === 'timeout') {
        throw new NemoclawError(
          'timeout',
          `OpenShell did not report the policy of sandbox ${o.sandbox} loaded in time.`,
          {
            cause: e,
            hint: `Check \`openshell policy list ${o.sandbox}\`, then retry; applying presets is safe to repeat.`,
          },
        );
      }
      throw e;
    }
  }
  await ctx.registry().update((reg) => {
    const e = reg.sandboxes[o.sandbox];
    if (!e || names.join('\0') === e.presets.join('\0')) return undefined;
    const updated = { ...e, presets: names, updatedAt: ctx.now().toISOString() };
    return { ...reg, sandboxes: { ...reg.sandboxes, [o.sandbox]: updated } };
  });
  return { presets: names, changed: merge.changed, added: merge.added, replaced: merge.replaced };
}
