/**
 * Presets, tiers and the bookkeeping around them: which presets a tier means, which presets a
 * sandbox must have after (re)onboarding, which keys belong to whom, and whether a preset lets the
 * agent's own binaries through.
 */
import { NemoclawError } from '../errors.ts';
import { binaryMatches } from './check.ts';
import type { PolicyPatch } from './merge.ts';
import type { NetworkPolicies, PresetFile, TierName, TiersFile } from './schema.ts';

export interface Preset extends PolicyPatch {
  description: string;
}

export function presetFromFile(f: PresetFile): Preset {
  return { name: f.preset.name, description: f.preset.description, entries: f.network_policies };
}

/** The presets a tier stands for, in file order; unknown names are an error in the tiers file. */
export function expandTier(
  tiers: TiersFile,
  tier: TierName,
  known?: ReadonlySet<string>,
): string[] {
  const names = tiers.tiers[tier].presets;
  if (known) {
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new NemoclawError(
        'corrupt',
        `Tier ${tier} names presets that do not exist: ${unknown.join(', ')}.`,
      );
    }
  }
  return [...names];
}

/**
 * The presets a sandbox ends up with after onboarding: the tier's, the ones asked for, and every
 * preset it already had — re-onboarding never drops a preset the user added.
 */
export function desiredPresets(o: {
  tierPresets: readonly string[];
  requested?: readonly string[];
  existing?: readonly string[];
}): string[] {
  const out: string[] = [];
  for (const n of [...o.tierPresets, ...(o.requested ?? []), ...(o.existing ?? [])]) {
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** Which preset or custom policy owns each network policy key. */
export function keyOwners(patches: readonly PolicyPatch[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const p of patches) for (const k of Object.keys(p.entries)) owners.set(k, p.name);
  return owners;
}

/** Keys of `patch` already owned by another applied preset or custom policy. */
export function ownershipConflicts(
  patch: PolicyPatch,
  owners: ReadonlyMap<string, string>,
): { key: string; owner: string }[] {
  return Object.keys(patch.entries)
    .filter((k) => owners.has(k) && owners.get(k) !== patch.name)
    .map((k) => ({ key: k, owner: owners.get(k)! }));
}

/** The entry keys that are applied, judged from the live policy: all of the patch's keys exist. */
export function isApplied(patch: PolicyPatch, live: NetworkPolicies | undefined): boolean {
  const keys = Object.keys(patch.entries);
  return keys.length > 0 && keys.every((k) => live?.[k] !== undefined);
}

/** Required agent binaries an entry's `binaries` do not cover (glob-aware). */
export function uncoveredBinaries(entries: NetworkPolicies, required: readonly string[]) {
  const out: { key: string; binary: string }[] = [];
  for (const [key, entry] of Object.entries(entries)) {
    const patterns = (entry.binaries ?? []).map((b) => b.path);
    for (const bin of required) {
      if (!patterns.some((p) => binaryMatches(p, [bin]))) out.push({ key, binary: bin });
    }
  }
  return out;
}

/** A custom policy's name: its `preset.name`, else the file name without its extension. */
export function customPolicyName(fileName: string, declared?: string): string {
  if (declared) return declared;
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const stem = base.replace(/\.(ya?ml)$/i, '');
  return (
    stem
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'custom'
  );
}

export type { NetworkPolicies };
