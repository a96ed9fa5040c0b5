/**
 * The denial explainer of `<name> logs`: each OpenShell denial line is followed by what would allow
 * it (core/openshell/denials.ts). Presets and the live policy are read once, on the first denial.
 */
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { World } from '../world.ts';
import type { Denial } from '../core/openshell/denials.ts';
import { describeRemedy, remedyFor } from '../core/openshell/denials.ts';
import { parseEffectivePolicy } from '../core/policy/parse.ts';
import type { NetworkPolicies } from '../core/policy/schema.ts';
import { presetsOf } from './policy-shared.ts';

export function denialExplainer(
  world: Pick<World, 'presets'>,
  client: Pick<OpenshellClient, 'policyGet'>,
  sandbox: string,
): (d: Denial) => Promise<string[]> {
  let known: Promise<{
    presets: { name: string; entries: NetworkPolicies }[];
    live?: NetworkPolicies;
  }>;
  const load = async () => {
    const presets = await presetsOf(world);
    let live: NetworkPolicies | undefined;
    try {
      const view = await client.policyGet(sandbox);
      if (view.yaml?.trim())
        live = parseEffectivePolicy(view.yaml, `the live policy of ${sandbox}`).networkPolicies;
    } catch {
      // Without the live policy the suggestions still stand; they may name an applied preset.
    }
    return { presets, live };
  };
  return async (d) => {
    const { presets, live } = await (known ??= load());
    return describeRemedy(sandbox, d, remedyFor(d, presets, live));
  };
}
