/**
 * Does the live policy hold what nemoclaw recorded? (issue 18 item 2). Used after every
 * `policy set` (a change that did not land is an error, and the registry is not written), and by
 * `status` and `doctor`, which report a registry that claims presets the live policy lacks. Pure.
 */
import type { PolicyPatch } from './merge.ts';
import { sameEntry } from './merge.ts';
import type { NetworkPolicies } from './schema.ts';

export interface PatchDrift {
  /** The preset or custom policy. */
  name: string;
  /** Its keys the live policy lacks. */
  missing: string[];
  /** Its keys the live policy has with other content. */
  differs: string[];
}

/** Patches whose entries are not all in the live policy, with exactly their content. */
export function driftFromLive(
  live: NetworkPolicies,
  patches: readonly PolicyPatch[],
): PatchDrift[] {
  const out: PatchDrift[] = [];
  for (const p of patches) {
    const missing: string[] = [];
    const differs: string[] = [];
    for (const [k, v] of Object.entries(p.entries)) {
      if (!(k in live)) missing.push(k);
      else if (!sameEntry(k, live[k], v)) differs.push(k);
    }
    if (missing.length + differs.length > 0) out.push({ name: p.name, missing, differs });
  }
  return out;
}

/** Keys that should be gone but the live policy still has. */
export function stillPresent(live: NetworkPolicies, keys: readonly string[]): string[] {
  return keys.filter((k) => k in live);
}

export function describeDrift(d: readonly PatchDrift[]): string {
  return d
    .map(
      (x) =>
        `${x.name} (${[
          x.missing.length ? `missing ${x.missing.join(', ')}` : '',
          x.differs.length ? `different ${x.differs.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; ')})`,
    )
    .join(', ');
}
