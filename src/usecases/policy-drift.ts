/**
 * Registry vs live policy (issue 18 item 2): which recorded presets and custom policies the live
 * policy of a sandbox does not hold. `status` and `doctor` report it.
 */
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { World } from '../world.ts';
import { describeDrift, driftFromLive, type PatchDrift } from '../core/policy/live-check.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import type { Part } from '../core/ops/status.ts';
import { liveNetworkPolicies, presetsOf, recordedPatches } from './policy-shared.ts';

export async function policyDrift(
  world: Pick<World, 'presets'>,
  client: Pick<OpenshellClient, 'policyGet'>,
  entry: SandboxEntry,
): Promise<PatchDrift[]> {
  const patches = recordedPatches(entry, await presetsOf(world));
  const live = await liveNetworkPolicies({ openshell: client as never }, entry.name);
  return driftFromLive(live, patches);
}

/** One line for a finding: what the registry claims that the live policy lacks, and the fix. */
export function driftFinding(
  sandbox: string,
  drift: readonly PatchDrift[],
): { detail: string; fix: string } {
  return {
    detail: `the registry records ${drift.map((d) => d.name).join(', ')}, but the live policy does not hold ${drift.length > 1 ? 'them' : 'it'}: ${describeDrift(drift)}`,
    fix: drift.map((d) => `nemoclaw ${sandbox} policy-add ${d.name} --yes`).join('; '),
  };
}

/** The status part: the registry's policy record, checked against the live policy. */
export function policyPart(
  entry: SandboxEntry,
  drift: { ok: PatchDrift[] } | { error: unknown } | undefined,
): Part {
  const base = {
    tier: entry.policyTier,
    presets: entry.presets,
    custom: entry.customPolicies.map((c) => c.name),
  };
  const summary = `tier ${entry.policyTier}; presets: ${entry.presets.join(', ') || 'none'}${entry.customPolicies.length ? `; custom: ${entry.customPolicies.map((c) => c.name).join(', ')}` : ''}`;
  if (drift && 'ok' in drift && drift.ok.length > 0) {
    const f = driftFinding(entry.name, drift.ok);
    return {
      state: 'warn',
      summary: `${summary}; NOT live: ${f.detail}`,
      hint: `Apply again: ${f.fix}`,
      ...base,
      notLive: drift.ok.map((d) => d.name),
    };
  }
  if (!drift || 'error' in drift)
    return { state: 'ok', summary: `${summary} (live policy not checked)`, ...base };
  return { state: 'ok', summary: `${summary} (matches the live policy)`, ...base };
}
