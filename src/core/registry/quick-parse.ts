/**
 * A plain-code check of the registry, for reads on the startup budget of `list` (product.md §13).
 *
 * It accepts only what `RegistrySchema` accepts and, when it accepts, returns what the schema's
 * parse returns (defaults filled in, keys in the schema's order). Anything it is unsure of — any
 * value the schema might refuse, a newer schemaVersion, an odd key — gives `undefined`, and the
 * caller then validates with the schema itself, which words the error. So it may be stricter than
 * the schema, never laxer; test/unit/core/registry/quick-parse.test.ts holds it to that and to the
 * schema's list of keys, so a field added to the schema but not here only costs speed.
 */
import type { Registry, SandboxEntry } from './schema.ts';

// Plain statements, no table of check functions: `list` reads every entry of the registry, and
// with one closure per field the check cost it more than all its other work (about 7 M
// instructions for 50 sandboxes, most of them V8 compiling and optimising the closures).

/** The fields of SandboxEntrySchema, in its order (readEntry builds its result in this order). */
const ENTRY_KEYS = [
  'name',
  'agent',
  'provider',
  'model',
  'endpointUrl',
  'blueprintVersion',
  'blueprintDigest',
  'image',
  'policyTier',
  'presets',
  'customPolicies',
  'gpu',
  'dashboardPort',
  'gatewayName',
  'gatewayUrl',
  'workspace',
  'channels',
  'channelTokens',
  'blueprintSource',
  'blueprintSha256',
  'fromDockerfile',
  'providers',
  'profile',
  'desiredState',
  'agentChannels',
  'createdAt',
  'updatedAt',
];
const ENTRY_KEY_SET = new Set(ENTRY_KEYS);
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const TOKEN = /^hmac-sha256:[0-9a-f]{64}$/;

/** Key lists, for the test that holds this module to the schema. */
export const QUICK_KEYS = {
  registry: ['schemaVersion', 'defaultSandbox', 'sandboxes'],
  entry: ENTRY_KEYS,
  customPolicy: ['name', 'content'],
  gpu: ['enabled', 'count'],
};

/** A JSON object: not null, not an array, and no key JSON.parse treats specially. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Object.hasOwn(v, '__proto__');
}

/** Exactly these keys or fewer (JSON.parse gives own keys only, never an undefined value). */
function onlyKeys(v: Record<string, unknown>, keys: { has(k: string): boolean }): boolean {
  for (const k of Object.keys(v)) if (!keys.has(k)) return false;
  return true;
}

/** A copy of an array of strings, or undefined. */
function strings(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  for (const x of v) if (typeof x !== 'string') return undefined;
  return [...(v as string[])];
}

const optString = (v: unknown): boolean => v === undefined || typeof v === 'string';

function intIn(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
}

const CUSTOM_POLICY_KEYS = new Set(QUICK_KEYS.customPolicy);
const GPU_KEYS = new Set(QUICK_KEYS.gpu);

/** `{ name, content }` rebuilt, or undefined. */
function customPolicy(v: unknown): { name: string; content: string } | undefined {
  if (!isPlainObject(v) || !onlyKeys(v, CUSTOM_POLICY_KEYS)) return undefined;
  const { name, content } = v;
  if (typeof name !== 'string' || name.length === 0 || typeof content !== 'string')
    return undefined;
  return { name, content };
}

/** `{ enabled, count? }` rebuilt, or undefined. */
function gpu(v: unknown): SandboxEntry['gpu'] | undefined {
  if (!isPlainObject(v) || !onlyKeys(v, GPU_KEYS)) return undefined;
  const { enabled, count } = v;
  if (typeof enabled !== 'boolean') return undefined;
  if (count === undefined) return { enabled };
  return intIn(count, 1, Number.MAX_SAFE_INTEGER) ? { enabled, count } : undefined;
}

/** One entry, rebuilt in the schema's key order with its defaults, or undefined. */
function readEntry(v: unknown): SandboxEntry | undefined {
  if (!isPlainObject(v) || !onlyKeys(v, ENTRY_KEY_SET)) return undefined;
  const e = v;
  if (typeof e.name !== 'string' || e.name.length === 0) return undefined;
  if (e.agent !== 'openclaw' && e.agent !== 'hermes') return undefined;
  if (typeof e.provider !== 'string' || typeof e.model !== 'string') return undefined;
  if (!optString(e.endpointUrl) || typeof e.blueprintVersion !== 'string') return undefined;
  if (typeof e.blueprintDigest !== 'string' || !DIGEST.test(e.blueprintDigest)) return undefined;
  if (typeof e.image !== 'string') return undefined;
  const tier = e.policyTier;
  if (tier !== 'restricted' && tier !== 'balanced' && tier !== 'open') return undefined;
  const presets = strings(e.presets);
  if (!presets) return undefined;
  const customPolicies: { name: string; content: string }[] = [];
  if (e.customPolicies !== undefined) {
    if (!Array.isArray(e.customPolicies)) return undefined;
    for (const p of e.customPolicies) {
      const c = customPolicy(p);
      if (!c) return undefined;
      customPolicies.push(c);
    }
  }
  const g = gpu(e.gpu);
  if (!g || !intIn(e.dashboardPort, 1, 65535) || typeof e.gatewayName !== 'string') {
    return undefined;
  }
  if (!optString(e.gatewayUrl) || !optString(e.workspace)) return undefined;
  const channels = e.channels === undefined ? [] : strings(e.channels);
  if (!channels) return undefined;
  const tokens = e.channelTokens;
  if (tokens !== undefined) {
    if (!isPlainObject(tokens)) return undefined;
    for (const t of Object.values(tokens)) {
      if (typeof t !== 'string' || !TOKEN.test(t)) return undefined;
    }
  }
  if (!optString(e.blueprintSource) || !optString(e.blueprintSha256)) return undefined;
  if (!optString(e.fromDockerfile)) return undefined;
  const providers = e.providers === undefined ? undefined : strings(e.providers);
  if (e.providers !== undefined && !providers) return undefined;
  if (!optString(e.profile)) return undefined;
  if (
    e.desiredState !== undefined &&
    e.desiredState !== 'running' &&
    e.desiredState !== 'stopped'
  ) {
    return undefined;
  }
  const agentChannels = e.agentChannels === undefined ? undefined : strings(e.agentChannels);
  if (e.agentChannels !== undefined && !agentChannels) return undefined;
  if (typeof e.createdAt !== 'string' || typeof e.updatedAt !== 'string') return undefined;

  const out: Record<string, unknown> = {
    name: e.name,
    agent: e.agent,
    provider: e.provider,
    model: e.model,
  };
  if (e.endpointUrl !== undefined) out.endpointUrl = e.endpointUrl;
  out.blueprintVersion = e.blueprintVersion;
  out.blueprintDigest = e.blueprintDigest;
  out.image = e.image;
  out.policyTier = tier;
  out.presets = presets;
  out.customPolicies = customPolicies;
  out.gpu = g;
  out.dashboardPort = e.dashboardPort;
  out.gatewayName = e.gatewayName;
  if (e.gatewayUrl !== undefined) out.gatewayUrl = e.gatewayUrl;
  if (e.workspace !== undefined) out.workspace = e.workspace;
  out.channels = channels;
  if (tokens !== undefined) out.channelTokens = { ...tokens };
  if (e.blueprintSource !== undefined) out.blueprintSource = e.blueprintSource;
  if (e.blueprintSha256 !== undefined) out.blueprintSha256 = e.blueprintSha256;
  if (e.fromDockerfile !== undefined) out.fromDockerfile = e.fromDockerfile;
  if (providers) out.providers = providers;
  if (e.profile !== undefined) out.profile = e.profile;
  if (e.desiredState !== undefined) out.desiredState = e.desiredState;
  if (agentChannels) out.agentChannels = agentChannels;
  out.createdAt = e.createdAt;
  out.updatedAt = e.updatedAt;
  return out as unknown as SandboxEntry;
}

/** The registry in `text` if it certainly matches the schema (version 1); otherwise undefined. */
export function quickParseRegistry(text: string): Registry | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(raw)) return undefined;
  const keys = Object.keys(raw);
  if (keys.length !== 3 || !QUICK_KEYS.registry.every((k) => Object.hasOwn(raw, k))) {
    return undefined;
  }
  if (raw.schemaVersion !== 1) return undefined;
  const def = raw.defaultSandbox;
  if (def !== null && typeof def !== 'string') return undefined;
  if (!isPlainObject(raw.sandboxes)) return undefined;
  const sandboxes: Record<string, SandboxEntry> = {};
  for (const [name, value] of Object.entries(raw.sandboxes)) {
    const e = readEntry(value);
    if (!e) return undefined;
    sandboxes[name] = e;
  }
  return { schemaVersion: 1, defaultSandbox: def, sandboxes };
}
