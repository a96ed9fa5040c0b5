/**
 * What changes between two blueprints for one agent (issue 15): the plan of an upgrade shows it,
 * `upgrade-sandboxes` lists why a sandbox is behind, and the migrations to run follow from it.
 * Pure: the caller loads both blueprints (and the policy files' contents by key).
 */
import type { Agent } from '../registry/schema.ts';
import { compareVersions, parseVersion } from '../version.ts';
import type { Blueprint, Migration } from './schema.ts';

export interface BlueprintChange {
  /** base-image, agent-version, policy, state-paths, resources, blueprint */
  area: string;
  what: string;
}

/** The agent's version is the tag of its community base image (`…/openclaw:2026.5.18`). */
export function agentVersion(baseImage: string): string {
  const at = baseImage.split('@')[0]!;
  const slash = at.lastIndexOf('/');
  const colon = at.lastIndexOf(':');
  return colon > slash ? at.slice(colon + 1) : 'latest';
}

function cmpVersion(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) return a === b ? 0 : a < b ? -1 : 1;
  return compareVersions(pa, pb);
}

/** Policy content by key: baseline, tiers and each preset (file text), for one blueprint. */
export type PolicyTexts = Record<string, string>;

export function blueprintDiff(
  from: Blueprint,
  to: Blueprint,
  agent: Agent,
  policies?: { from: PolicyTexts; to: PolicyTexts },
): BlueprintChange[] {
  const out: BlueprintChange[] = [];
  const a = from.agents[agent];
  const b = to.agents[agent];
  if (from.version !== to.version)
    out.push({ area: 'blueprint', what: `${from.version} → ${to.version}` });
  if (a.base_image !== b.base_image)
    out.push({ area: 'base-image', what: `${a.base_image} → ${b.base_image}` });
  const [va, vb] = [agentVersion(a.base_image), agentVersion(b.base_image)];
  if (va !== vb) out.push({ area: 'agent-version', what: `${va} → ${vb}` });
  if (a.start_command.join(' ') !== b.start_command.join(' '))
    out.push({
      area: 'start-command',
      what: `${a.start_command.join(' ')} → ${b.start_command.join(' ')}`,
    });
  const removed = a.state_paths.filter((p) => !b.state_paths.includes(p));
  const added = b.state_paths.filter((p) => !a.state_paths.includes(p));
  for (const p of removed) out.push({ area: 'state-paths', what: `- ${p}` });
  for (const p of added) out.push({ area: 'state-paths', what: `+ ${p}` });
  for (const k of ['cpu', 'memory', 'min_memory_mb', 'min_disk_mb'] as const) {
    if (String(from.resources[k]) !== String(to.resources[k]))
      out.push({ area: 'resources', what: `${k} ${from.resources[k]} → ${to.resources[k]}` });
  }
  if (policies) {
    const keys = [...new Set([...Object.keys(policies.from), ...Object.keys(policies.to)])].sort();
    for (const k of keys) {
      const [x, y] = [policies.from[k], policies.to[k]];
      if (x === y) continue;
      out.push({
        area: 'policy',
        what: x === undefined ? `+ ${k}` : y === undefined ? `- ${k}` : `~ ${k}`,
      });
    }
  }
  return out;
}

/**
 * The target's migrations that a sandbox coming from `fromVersion` needs, in declared order: those
 * whose `since` (default: the target's version) is newer than where it comes from.
 */
export function pendingMigrations(to: Blueprint, fromVersion: string, agent: Agent): Migration[] {
  return (to.migrations ?? []).filter(
    (m) =>
      cmpVersion(fromVersion, m.since ?? to.version) < 0 && (!m.agents || m.agents.includes(agent)),
  );
}

/** Why a sandbox is behind the newest blueprint; empty when it is current. */
export function stalenessReasons(
  entry: { blueprintVersion: string; blueprintDigest: string; agent: Agent },
  current: Blueprint | undefined,
  newest: { blueprint: Blueprint; digest: string },
): string[] {
  const reasons: string[] = [];
  const nv = newest.blueprint.version;
  if (cmpVersion(entry.blueprintVersion, nv) < 0)
    reasons.push(`blueprint ${entry.blueprintVersion} → ${nv}`);
  else if (entry.blueprintVersion === nv && entry.blueprintDigest !== newest.digest)
    reasons.push(`blueprint ${nv} content changed since the sandbox was built`);
  if (current) {
    const a = current.agents[entry.agent].base_image;
    const b = newest.blueprint.agents[entry.agent].base_image;
    if (a !== b) reasons.push(`base image ${a} → ${b}`);
    const [va, vb] = [agentVersion(a), agentVersion(b)];
    if (va !== vb) reasons.push(`agent ${va} → ${vb}`);
  }
  return reasons;
}
