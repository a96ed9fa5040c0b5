/** The declarative-configuration planner (core/fleet): export → plan nothing; each kind of change. */
import { describe, expect, it } from 'vitest';
import { missingEnv, onboardGateway, planFleet } from '../../../../src/core/fleet/plan.ts';
import {
  exportSandbox,
  FleetFileSchema,
  type FleetFile,
  type FleetSandbox,
} from '../../../../src/core/fleet/schema.ts';
import type { SandboxEntry } from '../../../../src/core/registry/schema.ts';
import { sandboxEntry } from '../../../helpers/context.ts';

const TIERS: Record<string, string[]> = {
  restricted: [],
  balanced: ['pypi', 'npm'],
  open: ['pypi', 'npm', 'github'],
};
const tierPresets = (t: string) => TIERS[t]!;

const entry = (name: string, over: Partial<SandboxEntry> = {}): SandboxEntry =>
  sandboxEntry({
    name,
    model: 'nvidia/m1',
    presets: ['pypi', 'npm'],
    createdAt: 'x',
    updatedAt: 'x',
    ...over,
  });
const fileOf = (...s: FleetSandbox[]): FleetFile => ({ schemaVersion: 1, sandboxes: s });
const plan = (f: FleetFile, reg: SandboxEntry[], prune = false) =>
  planFleet(f, Object.fromEntries(reg.map((e) => [e.name, e])), { prune, tierPresets });

describe('fleet planner', () => {
  it('an exported sandbox plans nothing, and the export holds no secret values', () => {
    const e = entry('alpha', {
      channels: ['telegram'],
      presets: ['pypi', 'npm', 'telegram'],
      customPolicies: [{ name: 'corp', content: 'network_policies: {}\n' }],
      gpu: { enabled: true, count: 2 },
    });
    const x = exportSandbox(e);
    expect(x.credentials).toEqual(['NVIDIA_API_KEY', 'TELEGRAM_BOT_TOKEN']);
    expect(x.profile).toBe('default');
    expect(FleetFileSchema.parse(fileOf(x))).toEqual(fileOf(x));
    expect(plan(fileOf(x), [e])).toEqual({ changes: [], requiredEnv: [], problems: [] });
  });

  it('creates a missing sandbox, then removes tier presets the file leaves out and adds channels', () => {
    const want = exportSandbox(entry('beta', { presets: ['npm', 'github'], channels: ['slack'] }));
    const p = plan(fileOf(want), []);
    expect(p.changes).toEqual([
      { op: 'sandbox.create', sandbox: 'beta', gateway: 'nemoclaw' },
      // Onboarding records the tier's presets and the file's (github): only pypi is left over.
      { op: 'preset.remove', sandbox: 'beta', preset: 'pypi' },
      { op: 'channel.add', sandbox: 'beta', channel: 'slack' },
    ]);
    expect(p.requiredEnv.map((r) => r.env)).toEqual([
      'NVIDIA_API_KEY',
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
    ]);
  });

  it('updates policies, channels and inference in place, in a safe order', () => {
    const have = entry('alpha', {
      presets: ['pypi', 'npm', 'telegram'],
      channels: ['telegram'],
      customPolicies: [
        { name: 'old', content: 'a' },
        { name: 'corp', content: 'v1' },
      ],
    });
    const want: FleetSandbox = {
      ...exportSandbox(have),
      model: 'nvidia/m2',
      presets: ['npm', 'brave'],
      channels: [],
      customPolicies: [{ name: 'corp', content: 'v2' }],
      tier: 'open',
    };
    expect(plan(fileOf(want), [have]).changes).toEqual([
      { op: 'inference.set', sandbox: 'alpha', provider: 'build', model: 'nvidia/m2' },
      { op: 'custom-policy.remove', sandbox: 'alpha', name: 'old' },
      { op: 'custom-policy.remove', sandbox: 'alpha', name: 'corp' },
      { op: 'preset.remove', sandbox: 'alpha', preset: 'pypi' },
      { op: 'channel.remove', sandbox: 'alpha', channel: 'telegram' },
      { op: 'preset.add', sandbox: 'alpha', preset: 'brave' },
      { op: 'custom-policy.add', sandbox: 'alpha', name: 'corp' },
      { op: 'registry.set', sandbox: 'alpha', field: 'tier', value: 'open' },
    ]);
  });

  it('recreates only for what is fixed at creation, and reads the key by the name the file gives', () => {
    const have = entry('alpha');
    const want: FleetSandbox = {
      ...exportSandbox(have),
      gpu: { enabled: true },
      dashboardPort: 18800,
      credentials: { NVIDIA_API_KEY: 'PROD_KEY' },
    };
    const p = plan(fileOf(want), [have]);
    expect(p.changes).toEqual([
      {
        op: 'sandbox.recreate',
        sandbox: 'alpha',
        reasons: ['no gpu → gpu ×1', 'dashboard port 18789 → 18800'],
      },
    ]);
    expect(missingEnv(p, { NVIDIA_API_KEY: 'x' })).toEqual([
      { sandbox: 'alpha', credential: 'NVIDIA_API_KEY', env: 'PROD_KEY' },
    ]);
    expect(missingEnv(p, { PROD_KEY: 'x' })).toEqual([]);
  });

  it('creates a recorded sandbox again when its gateway no longer has it', () => {
    const a = entry('alpha');
    const p = planFleet(
      fileOf(exportSandbox(a)),
      { alpha: a },
      {
        tierPresets,
        goneFromGateway: new Set(['alpha']),
      },
    );
    expect(p.changes).toEqual([{ op: 'sandbox.create', sandbox: 'alpha', gateway: 'nemoclaw' }]);
    expect(p.requiredEnv.map((r) => r.env)).toEqual(['NVIDIA_API_KEY']);
  });

  it('destroys unlisted sandboxes only with --prune', () => {
    const a = entry('alpha');
    const f = fileOf(exportSandbox(a));
    expect(plan(f, [a, entry('zed')]).changes).toEqual([]);
    expect(plan(f, [a, entry('zed')], true).changes).toEqual([
      { op: 'sandbox.destroy', sandbox: 'zed' },
    ]);
  });

  it('refuses what it will not do: two routes on one gateway, moving gateways, a wrong profile', () => {
    const a = exportSandbox(entry('alpha'));
    const b = { ...exportSandbox(entry('beta')), model: 'nvidia/other' };
    expect(plan(fileOf(a, b), []).problems[0]).toContain('has one inference route');
    const moved = { ...a, gateway: { name: 'k8s', url: 'https://gw.example:8443' } };
    expect(plan(fileOf(moved), [entry('alpha')]).problems[0]).toContain('moving a sandbox');
    expect(plan(fileOf({ ...a, profile: 'ollama' }), []).problems[0]).toContain('profile');
  });

  it('the file schema refuses secret values, unknown keys, duplicates and a wrong version', () => {
    const a = exportSandbox(entry('alpha'));
    const bad = (x: unknown) => FleetFileSchema.safeParse(x).success;
    expect(bad(fileOf({ ...a, credentials: ['nvapi-abc123 secret'] }))).toBe(false);
    expect(bad({ ...fileOf(a), extra: 1 })).toBe(false);
    expect(bad(fileOf(a, a))).toBe(false);
    expect(bad({ ...fileOf(a), schemaVersion: 2 })).toBe(false);
    expect(bad(fileOf({ ...a, provider: 'nope' }))).toBe(false);
  });
});

describe('how apply onboards a sandbox onto its gateway', () => {
  it('the local gateway (recorded with its loopback URL) is onboarded as local, on its port', () => {
    expect(onboardGateway({ name: 'nemoclaw', url: 'http://127.0.0.1:18080' })).toEqual({
      gatewayPort: '18080',
    });
    expect(onboardGateway({ name: 'nemoclaw', url: 'http://localhost:8080' })).toEqual({
      gatewayPort: '8080',
    });
    expect(onboardGateway({ name: 'nemoclaw', url: 'http://[::1]:9000' })).toEqual({
      gatewayPort: '9000',
    });
    expect(onboardGateway({ name: 'nemoclaw' })).toEqual({});
  });

  it('only a remote gateway passes its URL', () => {
    expect(onboardGateway({ name: 'nemoclaw', url: 'https://gw.example.com:8443' })).toEqual({
      gatewayUrl: 'https://gw.example.com:8443',
    });
  });
});
