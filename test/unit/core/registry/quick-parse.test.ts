/**
 * The registry's quick check (the `list` startup path) against the schema it stands in for: it
 * must never accept what RegistrySchema refuses, must return exactly what the schema's parse
 * returns, and here accepts everything the schema accepts except the odd `__proto__` key.
 */
import { describe, expect, it } from 'vitest';
import { QUICK_KEYS, quickParseRegistry } from '../../../../src/core/registry/quick-parse.ts';
import { RegistrySchema, SandboxEntrySchema } from '../../../../src/core/registry/schema.ts';

const HEX = 'ab'.repeat(32);
function entry(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    agent: 'openclaw',
    provider: 'build',
    model: 'nvidia/nemotron-3-super-120b-a12b',
    blueprintVersion: '0.1.0',
    blueprintDigest: `sha256:${HEX}`,
    image: 'nemoclaw-sandbox-openclaw:0.1.0',
    policyTier: 'balanced',
    presets: ['npm'],
    gpu: { enabled: false },
    dashboardPort: 18789,
    gatewayName: 'nemoclaw',
    createdAt: '2026-11-21T00:00:00.000Z',
    updatedAt: '2026-11-21T00:00:00.000Z',
    ...extra,
  };
}
const FULL = entry('full', {
  endpointUrl: 'http://localhost:8000/v1',
  customPolicies: [{ name: 'mine', content: 'a: b\n' }],
  gpu: { enabled: true, count: 2 },
  gatewayUrl: 'https://127.0.0.1:8080',
  workspace: 'ws-1',
  channels: ['telegram'],
  channelTokens: { telegram: `hmac-sha256:${HEX}` },
  blueprintSource: './bp',
  blueprintSha256: HEX,
  fromDockerfile: './Dockerfile',
  providers: ['p1'],
  profile: 'default',
  desiredState: 'stopped',
  agentChannels: ['telegram'],
  agent: 'hermes',
});
// Put the keys in another order than the schema's: the result must come back in schema order.
const SHUFFLED = Object.fromEntries(Object.entries(FULL).reverse());

const VALUES: unknown[] = [
  undefined, // the key is removed
  null,
  true,
  0,
  -1,
  1,
  1.5,
  65535,
  65536,
  '',
  'x',
  'openclaw',
  'restricted',
  'running',
  `sha256:${HEX}`,
  `sha256:${HEX.toUpperCase()}`,
  `hmac-sha256:${HEX}`,
  [],
  ['x'],
  [1],
  [{ name: 'a', content: 'b' }],
  [{ name: '', content: 'b' }],
  [{ name: 'a' }],
  [{ name: 'a', content: 'b', more: 1 }],
  {},
  { enabled: true },
  { enabled: true, count: 0 },
  { enabled: true, count: 3 },
  { enabled: 'yes' },
  { enabled: false, other: 1 },
  { t: `hmac-sha256:${HEX}` },
  { t: 'plain' },
];

function registry(sandboxes: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { schemaVersion: 1, defaultSandbox: null, sandboxes, ...extra };
}

/** Both readings of one text: they must agree (the quick one may only decline). */
function compare(text: string, mayDecline = false): 'accepted' | 'refused' {
  const quick = quickParseRegistry(text);
  const zod = RegistrySchema.safeParse(JSON.parse(text));
  if (quick !== undefined) {
    expect(zod.success, `quick accepted what the schema refuses: ${text}`).toBe(true);
    expect(JSON.stringify(quick)).toBe(JSON.stringify(zod.data));
    expect(quick).toEqual(zod.data);
    return 'accepted';
  }
  if (!mayDecline) expect(zod.success, `quick declined a valid registry: ${text}`).toBe(false);
  return 'refused';
}

describe('the registry quick check', () => {
  it('knows exactly the schema’s keys, in its order', () => {
    expect(QUICK_KEYS.registry).toEqual(Object.keys(RegistrySchema.def.shape));
    const shape = SandboxEntrySchema.def.shape;
    expect(QUICK_KEYS.entry).toEqual(Object.keys(shape));
    expect(QUICK_KEYS.gpu).toEqual(Object.keys(shape.gpu.def.shape));
    expect(QUICK_KEYS.customPolicy).toEqual(
      Object.keys(shape.customPolicies.def.innerType.def.element.def.shape),
    );
  });

  it('reads valid registries exactly as the schema does, defaults and key order included', () => {
    for (const r of [
      registry({}),
      registry({ a: entry('a') }, { defaultSandbox: 'a' }),
      registry({ full: FULL, shuffled: SHUFFLED, b: entry('b') }, { defaultSandbox: 'zzz' }),
    ]) {
      expect(compare(JSON.stringify(r))).toBe('accepted');
    }
  });

  it('agrees with the schema on every field of an entry set to every kind of value', () => {
    let accepted = 0;
    let refused = 0;
    for (const base of [entry('a'), FULL]) {
      for (const key of [...QUICK_KEYS.entry, 'unknownKey']) {
        for (const v of VALUES) {
          const e: Record<string, unknown> = { ...base, [key]: v };
          if (v === undefined) delete e[key];
          if (compare(JSON.stringify(registry({ a: e }))) === 'accepted') accepted++;
          else refused++;
        }
      }
    }
    // Both outcomes really happen, many times.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(1000);
  });

  it('agrees with the schema on the top level', () => {
    const ok = { a: entry('a') };
    const cases: unknown[] = [
      registry(ok, { schemaVersion: 0 }),
      registry(ok, { schemaVersion: 2 }),
      registry(ok, { schemaVersion: '1' }),
      registry(ok, { defaultSandbox: 7 }),
      registry(ok, { defaultSandbox: [] }),
      registry(ok, { extra: true }),
      registry([] as never),
      registry(null as never),
      registry({ a: [] }),
      registry({ a: null }),
      { schemaVersion: 1, sandboxes: ok },
      { schemaVersion: 1, defaultSandbox: null },
      [],
      null,
      'registry',
      7,
    ];
    for (const c of cases) expect(compare(JSON.stringify(c))).toBe('refused');
  });

  it('declines odd keys and JSON it cannot read, leaving the words to the schema', () => {
    const proto = `{"schemaVersion":1,"defaultSandbox":null,"sandboxes":{"__proto__":${JSON.stringify(entry('a'))}}}`;
    expect(compare(proto, true)).toBe('refused');
    const token = JSON.stringify(registry({ a: entry('a', { channelTokens: {} }) })).replace(
      '"channelTokens":{}',
      `"channelTokens":{"__proto__":"hmac-sha256:${HEX}"}`,
    );
    expect(compare(token, true)).toBe('refused');
    expect(quickParseRegistry('{nope')).toBeUndefined();
    expect(quickParseRegistry('')).toBeUndefined();
  });

  it('gives fresh defaults: editing one entry’s lists leaves the next read alone', () => {
    const text = JSON.stringify(registry({ a: entry('a'), b: entry('b') }));
    const r = quickParseRegistry(text)!;
    r.sandboxes.a!.channels.push('x');
    expect(r.sandboxes.b!.channels).toEqual([]);
    expect(quickParseRegistry(text)!.sandboxes.a!.channels).toEqual([]);
  });
});
