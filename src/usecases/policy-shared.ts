/** What the policy use cases share: their dependencies, the sandbox's record, presets, the live policy. */
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Confirm } from '../adapters/terminal/confirm.ts';
import type { Context } from '../context.ts';
import { NemoclawError, UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/names.ts';
import { parseCustomPolicyFile } from '../core/policy/parse.ts';
import type { PolicyPatch } from '../core/policy/merge.ts';
import type { Preset } from '../core/policy/presets.ts';
import type { NetworkPolicies } from '../core/policy/schema.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import type { PolicyFiles, World } from '../world.ts';
import { requireEntry } from './registry-entry.ts';

export interface PolicyDeps {
  openshell: Pick<OpenshellClient, 'policyGet' | 'policySet'>;
  /** Asks the user; only called when a terminal is attached and neither --yes nor env answered. */
  confirm: Confirm;
  /** The packaged presets (the world's). */
  presets: World['presets'];
  /** The packaged baseline policy of an agent (the world's). */
  baseline: World['baseline'];
  /** The world's files: the policy lock and the 0600 file a policy is handed to OpenShell in. */
  files: World['files'];
}

/**
 * The policy use cases' view of the world for one sandbox. The client is reached on first use, so
 * usage errors come before any OpenShell call.
 */
export function policyDepsOf(
  world: Pick<World, 'sandboxClient' | 'confirm' | 'presets' | 'baseline' | 'files'>,
  sandbox: string,
): PolicyDeps {
  return {
    openshell: {
      policyGet: async (name, o) => (await world.sandboxClient(sandbox)).policyGet(name, o),
      policySet: async (name, file, o) =>
        (await world.sandboxClient(sandbox)).policySet(name, file, o),
    },
    confirm: (m) => world.confirm(m),
    presets: () => world.presets(),
    baseline: (agent) => world.baseline(agent),
    files: () => world.files(),
  };
}

export async function sandboxEntry(ctx: Context, sandbox: string): Promise<SandboxEntry> {
  return requireEntry(ctx, sandbox);
}

/** The packaged presets, from the world (no use case reads the package itself). */
export async function presetsOf(deps: Pick<PolicyDeps, 'presets'>): Promise<Preset[]> {
  return deps.presets();
}

/** The policy files of a world, as a value to hand on (their members read on use). */
export function policyFilesOf(w: PolicyFiles): PolicyFiles {
  return {
    presets: () => w.presets(),
    tiers: () => w.tiers(),
    baseline: (agent) => w.baseline(agent),
    files: () => w.files(),
  };
}

export function findPreset(presets: Preset[], name: string): Preset | undefined {
  return presets.find((p) => p.name === name);
}

export function unknownPresetError(presets: Preset[], name: string, custom: string[] = []) {
  const names = [...presets.map((p) => p.name), ...custom];
  const close = didYouMean(name, names);
  return new UsageError(`Unknown preset "${name}".`, {
    hint: `${close ? `Did you mean ${close}? ` : ''}Presets: ${names.join(', ')}.`,
  });
}

/** A custom policy recorded in the registry, as a patch. */
export function customPatch(c: { name: string; content: string }): PolicyPatch {
  const f = parseCustomPolicyFile(c.content, `custom policy ${c.name} (registry)`);
  return { name: c.name, entries: f.network_policies };
}

/** Every patch the registry says the sandbox has: its presets, then its custom policies. */
export function recordedPatches(entry: SandboxEntry, presets: Preset[]): PolicyPatch[] {
  const out: PolicyPatch[] = [];
  for (const n of entry.presets) {
    const p = findPreset(presets, n);
    if (p) out.push(p);
  }
  for (const c of entry.customPolicies) out.push(customPatch(c));
  return out;
}

/** The live policy YAML (`policy get --full`); an empty answer is refused, never treated as "no policy". */
export async function livePolicyYaml(
  deps: Pick<PolicyDeps, 'openshell'>,
  sandbox: string,
): Promise<string> {
  const view = await deps.openshell.policyGet(sandbox);
  if (!view.yaml || view.yaml.trim() === '') {
    throw new NemoclawError(
      'failed',
      `OpenShell returned no policy document for sandbox ${sandbox}, so nemoclaw will not change it.`,
      { hint: `Check \`openshell policy get ${sandbox} --full\`, then retry.` },
    );
  }
  return view.yaml;
}

/**
 * Policy changes of one sandbox run one at a time (observe → merge → set → verify → record), so
 * two at once cannot both read the same live policy and lose one change (issue 18 item 2). The
 * state store's lock: a second change waits for the first, a dead holder's lock is taken over.
 */
export async function withPolicyLock<T>(
  ctx: Context,
  deps: Pick<PolicyDeps, 'files'>,
  sandbox: string,
  fn: () => Promise<T>,
): Promise<T> {
  const { join } = await import('node:path');
  const { withLock } = await deps.files();
  return withLock(
    join(ctx.paths.home, 'locks', `policy-${sandbox}.lock`),
    { timeoutMs: 300_000, what: `the network policy of ${sandbox}` },
    fn,
  );
}

/** The live network entries (own and OpenShell's provider entries). */
export async function liveNetworkPolicies(
  deps: Pick<PolicyDeps, 'openshell'>,
  sandbox: string,
): Promise<NetworkPolicies> {
  const { parseEffectivePolicy } = await import('../core/policy/parse.ts');
  const yaml = await livePolicyYaml(deps, sandbox);
  return parseEffectivePolicy(yaml, `the live policy of sandbox ${sandbox}`).networkPolicies;
}

/**
 * Who owns each network policy key, for a change to `changing` (issue 18 item 3): the agent's
 * baseline policy, every recorded preset and custom policy but `changing`, and — for a custom
 * policy — every packaged preset, applied or not, so that adding it later cannot replace the
 * custom entry. A change may not take a key another owner has.
 */
export async function keyOwnersFor(
  baseline: World['baseline'],
  entry: SandboxEntry,
  presets: Preset[],
  changing: string,
  o: { custom: boolean },
): Promise<Map<string, string>> {
  const { keyOwners } = await import('../core/policy/presets.ts');
  const owners = new Map<string, string>();
  if (o.custom)
    for (const p of presets)
      if (p.name !== changing)
        for (const k of Object.keys(p.entries)) owners.set(k, `the preset ${p.name}`);
  for (const [k, n] of keyOwners(
    recordedPatches(entry, presets).filter((p) => p.name !== changing),
  ))
    owners.set(k, n);
  for (const k of await baselineKeys(baseline, entry.agent))
    owners.set(k, `the ${entry.agent} baseline policy`);
  return owners;
}

async function baselineKeys(
  baseline: World['baseline'],
  agent: SandboxEntry['agent'],
): Promise<string[]> {
  const { parsePolicy } = await import('../core/policy/parse.ts');
  const text = await baseline(agent);
  return Object.keys(
    parsePolicy(text, `the ${agent} baseline policy`).policy.network_policies ?? {},
  );
}
