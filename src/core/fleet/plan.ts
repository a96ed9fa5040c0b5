/**
 * `apply -f`: the typed changes that take what nemoclaw has recorded (the registry) to what the
 * file describes. Pure. In place where OpenShell allows it (policies hot-reload, channels are a
 * provider plus a preset, the inference route is set on the gateway); a recreate only for what is
 * fixed when a sandbox is created (agent, blueprint, GPU, dashboard port); a destroy only with
 * --prune. Changes come in the order they must run.
 */
import { findChannel } from '../ops/channels.ts';
import { isRemoteEntry } from '../ops/gateway-of.ts';
import { findProvider } from '../providers.ts';
import type { SandboxEntry } from '../registry/schema.ts';
import { credentialSources, type FleetFile, type FleetSandbox } from './schema.ts';

export type FleetChange =
  | { op: 'sandbox.create'; sandbox: string; gateway: string }
  | { op: 'sandbox.recreate'; sandbox: string; reasons: string[] }
  | { op: 'sandbox.destroy'; sandbox: string }
  | { op: 'preset.add' | 'preset.remove'; sandbox: string; preset: string }
  | { op: 'custom-policy.add' | 'custom-policy.remove'; sandbox: string; name: string }
  | { op: 'channel.add' | 'channel.remove'; sandbox: string; channel: string }
  | { op: 'inference.set'; sandbox: string; provider: string; model: string }
  | { op: 'registry.set'; sandbox: string; field: 'tier'; value: string };

export interface FleetPlan {
  changes: FleetChange[];
  /** Environment variables the changes read credentials from (each must be set). */
  requiredEnv: { sandbox: string; credential: string; env: string }[];
  /** Things the file asks for that apply will not do. */
  problems: string[];
}

/** In-place differences between a recorded sandbox and the file's entry. */
function inPlace(want: FleetSandbox, have: SandboxEntry): FleetChange[] {
  const out: FleetChange[] = [];
  const sandbox = want.name;
  if (want.provider !== have.provider || want.model !== have.model) {
    out.push({ op: 'inference.set', sandbox, provider: want.provider, model: want.model });
  }
  const customHave = new Map(have.customPolicies.map((c) => [c.name, c.content]));
  const customWant = new Map(want.customPolicies.map((c) => [c.name, c.content]));
  for (const [name, content] of customHave) {
    if (customWant.get(name) !== content) out.push({ op: 'custom-policy.remove', sandbox, name });
  }
  // Channel presets are the channels' business: left to channel.add/remove.
  const channelPresets = new Set(
    [...want.channels, ...have.channels].map((c) => findChannel(c)?.preset ?? c),
  );
  for (const p of have.presets) {
    if (!want.presets.includes(p) && !channelPresets.has(p)) {
      out.push({ op: 'preset.remove', sandbox, preset: p });
    }
  }
  for (const c of have.channels) {
    if (!want.channels.includes(c)) out.push({ op: 'channel.remove', sandbox, channel: c });
  }
  for (const p of want.presets) {
    if (!have.presets.includes(p)) out.push({ op: 'preset.add', sandbox, preset: p });
  }
  for (const [name, content] of customWant) {
    if (customHave.get(name) !== content) out.push({ op: 'custom-policy.add', sandbox, name });
  }
  for (const c of want.channels) {
    if (!have.channels.includes(c)) out.push({ op: 'channel.add', sandbox, channel: c });
  }
  if (want.tier !== have.policyTier) {
    out.push({ op: 'registry.set', sandbox, field: 'tier', value: want.tier });
  }
  return out;
}

/** What only a new sandbox can change. */
function recreateReasons(want: FleetSandbox, have: SandboxEntry): string[] {
  const r: string[] = [];
  if (want.agent !== have.agent) r.push(`agent ${have.agent} → ${want.agent}`);
  if (want.blueprint !== have.blueprintVersion) {
    r.push(`blueprint ${have.blueprintVersion} → ${want.blueprint}`);
  }
  const gpu = (g: { enabled: boolean; count?: number }) =>
    g.enabled ? `gpu ×${g.count ?? 1}` : 'no gpu';
  if (gpu(want.gpu) !== gpu(have.gpu)) r.push(`${gpu(have.gpu)} → ${gpu(want.gpu)}`);
  if (want.dashboardPort !== have.dashboardPort) {
    r.push(`dashboard port ${have.dashboardPort} → ${want.dashboardPort}`);
  }
  return r;
}

/** A new sandbox: onboarding records the tier's presets and the file's; the rest follows. */
function asCreated(want: FleetSandbox, tierPresets: readonly string[]): SandboxEntry {
  const presets = [...new Set([...tierPresets, ...want.presets])];
  return {
    name: want.name,
    agent: want.agent,
    provider: want.provider,
    model: want.model,
    blueprintVersion: want.blueprint,
    blueprintDigest: `sha256:${'0'.repeat(64)}`,
    image: '',
    policyTier: want.tier,
    presets,
    customPolicies: [],
    gpu: want.gpu,
    dashboardPort: want.dashboardPort,
    gatewayName: want.gateway.name,
    channels: [],
    createdAt: '',
    updatedAt: '',
  };
}

export function planFleet(
  file: FleetFile,
  registry: Record<string, SandboxEntry>,
  o: {
    prune?: boolean;
    tierPresets: (tier: string) => readonly string[];
    /** Registered sandboxes their gateway answered it does not have (observed, not recorded). */
    goneFromGateway?: ReadonlySet<string>;
  },
): FleetPlan {
  const changes: FleetChange[] = [];
  const requiredEnv: FleetPlan['requiredEnv'] = [];
  const problems: string[] = [];
  const needCreds = (s: FleetSandbox, keys: string[]) => {
    const src = credentialSources(s);
    for (const k of keys) requiredEnv.push({ sandbox: s.name, credential: k, env: src[k] ?? k });
  };
  const inferenceKey = (s: FleetSandbox) => {
    const p = findProvider(s.provider);
    return p?.userEnv ? [p.userEnv] : [];
  };
  const channelKeys = (c: string) => findChannel(c)?.credentials.map((x) => x.env) ?? [];

  // The inference route is one per gateway in OpenShell.
  const routes = new Map<string, string>();
  for (const s of file.sandboxes) {
    const route = `${s.provider} ${s.model}`;
    const prev = routes.get(s.gateway.name);
    if (prev !== undefined && prev !== route) {
      problems.push(
        `Gateway ${s.gateway.name} has one inference route, but its sandboxes ask for "${prev}" and "${route}".`,
      );
    }
    routes.set(s.gateway.name, route);
    const p = findProvider(s.provider);
    if (s.profile !== undefined && p && s.profile !== p.profile) {
      problems.push(
        `${s.name}: provider ${s.provider} uses profile ${p.profile}, not ${s.profile}.`,
      );
    }
  }

  for (const s of file.sandboxes) {
    const have = registry[s.name];
    if (have && o.goneFromGateway?.has(s.name)) {
      // Recorded, but OpenShell lost it: onboarding the same name creates it again and re-applies
      // what the registry records; the rest follows as for any recorded sandbox.
      changes.push({ op: 'sandbox.create', sandbox: s.name, gateway: s.gateway.name });
      needCreds(s, inferenceKey(s));
    }
    if (!have) {
      changes.push({ op: 'sandbox.create', sandbox: s.name, gateway: s.gateway.name });
      needCreds(s, inferenceKey(s));
      const follow = inPlace(s, asCreated(s, o.tierPresets(s.tier))).filter(
        (c) => c.op !== 'inference.set' && c.op !== 'registry.set',
      );
      changes.push(...follow);
      for (const c of follow) if (c.op === 'channel.add') needCreds(s, channelKeys(c.channel));
      continue;
    }
    if (have.gatewayName !== s.gateway.name) {
      problems.push(
        `${s.name} is on gateway ${have.gatewayName}, the file puts it on ${s.gateway.name}: moving a sandbox between gateways is not supported (give it a new name).`,
      );
      continue;
    }
    const reasons = recreateReasons(s, have);
    if (reasons.length > 0) {
      changes.push({ op: 'sandbox.recreate', sandbox: s.name, reasons });
      needCreds(s, inferenceKey(s));
    }
    const updates = inPlace(s, have);
    changes.push(...updates);
    for (const c of updates) if (c.op === 'channel.add') needCreds(s, channelKeys(c.channel));
  }

  const listed = new Set(file.sandboxes.map((s) => s.name));
  for (const name of Object.keys(registry).sort()) {
    if (!listed.has(name) && o.prune) changes.push({ op: 'sandbox.destroy', sandbox: name });
  }
  return { changes, requiredEnv, problems };
}

/** The environment variables the plan needs that are not set. */
export function missingEnv(
  plan: FleetPlan,
  env: Record<string, string | undefined>,
): FleetPlan['requiredEnv'] {
  return plan.requiredEnv.filter((r) => !env[r.env]?.trim());
}

export function describeChange(c: FleetChange): string {
  switch (c.op) {
    case 'sandbox.create':
      return `create sandbox ${c.sandbox} on gateway ${c.gateway}`;
    case 'sandbox.recreate':
      return `recreate sandbox ${c.sandbox} (${c.reasons.join('; ')}); a snapshot is taken first`;
    case 'sandbox.destroy':
      return `destroy sandbox ${c.sandbox} (not in the file; --prune)`;
    case 'preset.add':
    case 'preset.remove':
      return `${c.op === 'preset.add' ? 'add' : 'remove'} preset ${c.preset} ${c.op === 'preset.add' ? 'to' : 'from'} ${c.sandbox}`;
    case 'custom-policy.add':
    case 'custom-policy.remove':
      return `${c.op === 'custom-policy.add' ? 'apply' : 'remove'} custom policy ${c.name} on ${c.sandbox}`;
    case 'channel.add':
    case 'channel.remove':
      return `${c.op === 'channel.add' ? 'add' : 'remove'} channel ${c.channel} on ${c.sandbox}`;
    case 'inference.set':
      return `set the inference route of ${c.sandbox}'s gateway to ${c.provider} ${c.model}`;
    case 'registry.set':
      return `record ${c.field} ${c.value} for ${c.sandbox}`;
  }
}

/**
 * How onboarding reaches a sandbox's gateway. A gateway on this host (no URL, or a loopback one,
 * which is what the registry records for the local gateway) is onboarded as local, on the URL's
 * port: onboarding treats any gateway URL as a remote gateway. Only a real remote gateway passes
 * its URL.
 */
export function onboardGateway(
  g: FleetSandbox['gateway'],
): { gatewayUrl: string } | { gatewayPort?: string } {
  if (!g.url) return {};
  if (isRemoteEntry({ gatewayUrl: g.url })) return { gatewayUrl: g.url };
  const port = URL.canParse(g.url) ? new URL(g.url).port : '';
  return port ? { gatewayPort: port } : {};
}
