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

type Check = (v: unknown) => boolean;
interface Field {
  check: Check;
  /** Absent is allowed (z.optional). */
  optional?: true;
  /** Absent means this value (z._default); a fresh copy each time. */
  absent?: () => unknown;
  /** Rebuilds a nested object in its schema's key order. */
  copy?: (v: never) => unknown;
}

const isStr: Check = (v) => typeof v === 'string';
const nonEmpty: Check = (v) => typeof v === 'string' && v.length > 0;
const oneOf =
  (...xs: string[]): Check =>
  (v) =>
    typeof v === 'string' && xs.includes(v);
const matches =
  (re: RegExp): Check =>
  (v) =>
    typeof v === 'string' && re.test(v);
const arrayOf =
  (c: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(c);
const intIn =
  (min: number, max: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;

/** A JSON object: not null, not an array, and no key JSON.parse treats specially. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Object.hasOwn(v, '__proto__');
}

/** A strict object: exactly the known keys, each passing its check; rebuilt in schema order. */
function strict(fields: Record<string, Field>) {
  const names = Object.keys(fields);
  const parse = (v: unknown): Record<string, unknown> | undefined => {
    if (!isPlainObject(v)) return undefined;
    for (const k of Object.keys(v)) if (!Object.hasOwn(fields, k)) return undefined;
    const out: Record<string, unknown> = {};
    for (const k of names) {
      const f = fields[k]!;
      if (!Object.hasOwn(v, k)) {
        if (f.absent) out[k] = f.absent();
        else if (!f.optional) return undefined;
        continue;
      }
      const value = v[k];
      if (!f.check(value)) return undefined;
      out[k] = f.copy ? f.copy(value as never) : value;
    }
    return out;
  };
  return { names, parse };
}

const customPolicy = strict({ name: { check: nonEmpty }, content: { check: isStr } });
const gpu = strict({
  enabled: { check: (v) => typeof v === 'boolean' },
  count: { check: intIn(1, Number.MAX_SAFE_INTEGER), optional: true },
});
const TOKEN = /^hmac-sha256:[0-9a-f]{64}$/;

/** The fields of SandboxEntrySchema, in its order. */
const entry = strict({
  name: { check: nonEmpty },
  agent: { check: oneOf('openclaw', 'hermes') },
  provider: { check: isStr },
  model: { check: isStr },
  endpointUrl: { check: isStr, optional: true },
  blueprintVersion: { check: isStr },
  blueprintDigest: { check: matches(/^sha256:[0-9a-f]{64}$/) },
  image: { check: isStr },
  policyTier: { check: oneOf('restricted', 'balanced', 'open') },
  presets: { check: arrayOf(isStr), copy: (a: string[]) => [...a] },
  customPolicies: {
    check: arrayOf((p) => customPolicy.parse(p) !== undefined),
    absent: () => [],
    copy: (a: unknown[]) => a.map((p) => customPolicy.parse(p)),
  },
  gpu: { check: (v) => gpu.parse(v) !== undefined, copy: (v: unknown) => gpu.parse(v) },
  dashboardPort: { check: intIn(1, 65535) },
  gatewayName: { check: isStr },
  gatewayUrl: { check: isStr, optional: true },
  workspace: { check: isStr, optional: true },
  channels: { check: arrayOf(isStr), absent: () => [], copy: (a: string[]) => [...a] },
  channelTokens: {
    check: (v) => isPlainObject(v) && Object.values(v).every(matches(TOKEN)),
    optional: true,
    copy: (v: Record<string, string>) => ({ ...v }),
  },
  blueprintSource: { check: isStr, optional: true },
  blueprintSha256: { check: isStr, optional: true },
  fromDockerfile: { check: isStr, optional: true },
  providers: { check: arrayOf(isStr), optional: true, copy: (a: string[]) => [...a] },
  profile: { check: isStr, optional: true },
  desiredState: { check: oneOf('running', 'stopped'), optional: true },
  agentChannels: { check: arrayOf(isStr), optional: true, copy: (a: string[]) => [...a] },
  createdAt: { check: isStr },
  updatedAt: { check: isStr },
});

/** Key lists, for the test that holds this module to the schema. */
export const QUICK_KEYS = {
  registry: ['schemaVersion', 'defaultSandbox', 'sandboxes'],
  entry: entry.names,
  customPolicy: customPolicy.names,
  gpu: gpu.names,
};

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
    const e = entry.parse(value);
    if (!e) return undefined;
    sandboxes[name] = e as unknown as SandboxEntry;
  }
  return { schemaVersion: 1, defaultSandbox: def, sandboxes };
}
