/**
 * The policy use cases against an in-memory OpenShell stand-in (policy get/set only) and a real
 * temporary registry. The stand-in validates what it is sent the way OpenShell does (strict
 * schema, static sections frozen) and re-serialises it the way OpenShell does (`name` filled in,
 * `port` as `ports`), so a re-add must still be recognised as a no-op.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { PolicyView } from '../../../src/adapters/openshell/types.ts';
import { loadBaseline, loadPresets } from '../../../src/adapters/policy/assets.ts';
import { statePaths } from '../../../src/adapters/state/paths.ts';
import { registryStore } from '../../../src/adapters/state/registry-store.ts';
import { createUi } from '../../../src/adapters/terminal/ui.ts';
import type { Context } from '../../../src/context.ts';
import { NemoclawError } from '../../../src/core/errors.ts';
import { parsePolicy } from '../../../src/core/policy/parse.ts';
import {
  emptyRegistry,
  withSandbox,
  type SandboxEntry,
} from '../../../src/core/registry/schema.ts';
import { policyAdd, policyRemove } from '../../../src/usecases/policy-change.ts';
import { type PolicyDeps } from '../../../src/usecases/policy-shared.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const presets = await loadPresets(ROOT);
const baseline = await loadBaseline(ROOT, 'openclaw');

class FakeOpenshell {
  yaml: string;
  version = 1;
  gets = 0;
  sets: { content: string; mode: number }[] = [];
  fail: 'timeout' | 'load' | undefined;
  constructor(yaml: string) {
    this.yaml = yaml;
  }
  async policyGet(_sandbox: string): Promise<PolicyView> {
    this.gets++;
    return { version: this.version, hash: 'a1b2c3d4e5f6', status: 'Loaded', yaml: this.yaml };
  }
  async policySet(_sandbox: string, file: string, o?: { wait?: boolean }) {
    expect(o?.wait).toBe(true);
    const content = await readFile(file, 'utf8');
    this.sets.push({ content, mode: (await stat(file)).mode & 0o777 });
    if (this.fail === 'timeout') {
      throw new NemoclawError('timeout', 'policy set --wait timed out', { exitCode: 124 });
    }
    const next = parsePolicy(content, 'policy set').policy;
    const current = parse(this.yaml) as Record<string, unknown>;
    for (const s of ['filesystem_policy', 'landlock', 'process'] as const) {
      if (JSON.stringify(current[s]) !== JSON.stringify(next[s])) {
        throw new NemoclawError('invalid', `INVALID_ARGUMENT: ${s} cannot change`);
      }
    }
    // OpenShell stores the proto and prints it back in its own canonical form.
    for (const [key, e] of Object.entries(next.network_policies ?? {})) {
      e.name ||= key;
      for (const ep of e.endpoints ?? []) {
        if (ep.port !== undefined && !ep.ports) ep.ports = [ep.port];
        delete ep.port;
      }
    }
    this.yaml = stringify(next);
    this.version++;
    return { version: this.version, unchanged: false };
  }
}

let home: string;
let out: string[];
let err: string[];
let openshell: FakeOpenshell;

function entry(over: Partial<SandboxEntry> = {}): SandboxEntry {
  return {
    name: 'alpha',
    agent: 'openclaw',
    provider: 'build',
    model: 'm',
    blueprintVersion: '0.1.0',
    blueprintDigest: `sha256:${'a'.repeat(64)}`,
    image: 'img',
    policyTier: 'balanced',
    presets: [],
    customPolicies: [],
    gpu: { enabled: false },
    dashboardPort: 18789,
    gatewayName: 'nemoclaw',
    channels: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

function makeCtx(o: { tty?: boolean; env?: Record<string, string> } = {}): Context {
  const registry = registryStore(join(home, 'sandboxes.json'));
  return {
    env: o.env ?? {},
    cwd: home,
    paths: statePaths(home),
    packageRoot: ROOT,
    ui: createUi({
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      stdinIsTTY: o.tty ?? false,
    }),
    log: { debug() {}, info() {}, warn() {}, error() {}, flush() {} },
    defaultAgent: 'openclaw',
    nonInteractive: !o.tty,
    now: () => new Date('2026-02-02T00:00:00.000Z'),
    registry: () => registry,
  };
}

function deps(extra: Partial<PolicyDeps> = {}): PolicyDeps {
  return { openshell, presets, ...extra };
}

async function recorded(): Promise<SandboxEntry> {
  return (await makeCtx().registry().read()).sandboxes.alpha!;
}

async function rejects(p: Promise<unknown>): Promise<NemoclawError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NemoclawError);
    return e as NemoclawError;
  }
  throw new Error('expected a rejection');
}

const liveKeys = () =>
  Object.keys((parse(openshell.yaml) as { network_policies?: object }).network_policies ?? {});

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nemoclaw-policy-test-'));
  out = [];
  err = [];
  openshell = new FakeOpenshell(baseline);
  await makeCtx()
    .registry()
    .update(() => withSandbox(emptyRegistry(), entry()));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('policy-add', () => {
  it('merges the preset, applies it with --wait from a 0600 file, and records it', async () => {
    expect(await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true })).toBe(
      0,
    );
    expect(openshell.sets).toHaveLength(1);
    expect(openshell.sets[0]!.mode).toBe(0o600);
    expect(openshell.sets[0]!.content).not.toMatch(/^preset:/m);
    expect(liveKeys()).toEqual(['clawhub', 'openclaw_docs', 'npm_registry']);
    expect((await recorded()).presets).toEqual(['npm']);
    expect((await recorded()).updatedAt).toBe('2026-02-02T00:00:00.000Z');
    expect(err.join('')).toMatch(/Applied the preset npm to sandbox alpha \(policy version 2\)/);
  });

  it('re-adding is a no-op: no policy set, even after OpenShell re-serialised it', async () => {
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true });
    expect(await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true })).toBe(
      0,
    );
    expect(openshell.sets).toHaveLength(1);
    expect(err.join('')).toMatch(/already applied/);
    expect((await recorded()).presets).toEqual(['npm']);
  });

  it('--dry-run prints a diff and changes nothing, without a terminal or --yes', async () => {
    expect(
      await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', dryRun: true }),
    ).toBe(0);
    const diff = out.join('');
    expect(diff).toMatch(/^--- alpha \(live policy\)\n\+\+\+ alpha \(after\)\n@@/);
    expect(diff).toContain('+  npm_registry:');
    expect(diff).not.toMatch(/^-(?!--)/m);
    expect(err.join('')).toMatch(/Dry run: nothing was changed/);
    expect(openshell.sets).toHaveLength(0);
    expect((await recorded()).presets).toEqual([]);
  });

  it('without a terminal and without --yes it exits 2 before touching OpenShell', async () => {
    const e = await rejects(policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm' }));
    expect(e.exitCode).toBe(2);
    expect(e.hint).toMatch(/--yes/);
    expect(openshell.gets).toBe(0);
  });

  it('NEMOCLAW_NON_INTERACTIVE=1 acts as --yes', async () => {
    const ctx = makeCtx({ env: { NEMOCLAW_NON_INTERACTIVE: '1' } });
    expect(await policyAdd(ctx, deps(), { sandbox: 'alpha', preset: 'npm' })).toBe(0);
    expect(openshell.sets).toHaveLength(1);
  });

  it('asks on a terminal; "no" changes nothing', async () => {
    const asked: string[] = [];
    const confirm = async (q: string) => (asked.push(q), false);
    const code = await policyAdd(makeCtx({ tty: true }), deps({ confirm }), {
      sandbox: 'alpha',
      preset: 'npm',
    });
    expect(code).toBe(1);
    expect(asked).toEqual(['Apply the preset npm to sandbox alpha?']);
    expect(err.join('')).toContain('+  npm_registry:');
    expect(openshell.sets).toHaveLength(0);
  });

  it('asks on a terminal; "yes" applies', async () => {
    const confirm = async () => true;
    expect(
      await policyAdd(makeCtx({ tty: true }), deps({ confirm }), {
        sandbox: 'alpha',
        preset: 'npm',
      }),
    ).toBe(0);
    expect(openshell.sets).toHaveLength(1);
  });

  it.each([
    ['YAML that does not parse', 'version: 1\nnetwork_policies: [\n'],
    ['a degraded answer', 'error: upstream unavailable\n'],
    ['an empty answer', ''],
  ])('refuses when the live policy is %s', async (_n, yaml) => {
    openshell.yaml = yaml;
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true }),
    );
    expect(e.kind).toBe('failed');
    expect(e.message).toMatch(/will not change it/);
    expect(openshell.sets).toHaveLength(0);
    expect((await recorded()).presets).toEqual([]);
  });

  it('maps a --wait timeout to a clear error and records nothing', async () => {
    openshell.fail = 'timeout';
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true }),
    );
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(/did not report it loaded in time/);
    expect(e.hint).toMatch(/openshell policy list alpha/);
    expect((await recorded()).presets).toEqual([]);
  });

  it("leaves OpenShell's provider entries out of what it sends", async () => {
    openshell.yaml = `${baseline}  _provider_github:\n    endpoints: [{ host: api.github.com, port: 443 }]\n    binaries: [{ path: /usr/bin/gh }]\n`;
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true });
    expect(openshell.sets[0]!.content).not.toContain('_provider_');
  });

  it.each([
    [{ preset: 'nmp' }, /Unknown preset "nmp"/, /Did you mean npm/],
    [{}, /either a preset name or --from-file/, /policy-add npm/],
    [
      { preset: 'npm', fromFile: 'x.yaml' },
      /either a preset name or --from-file/,
      /policy-add npm/,
    ],
    [{ fromFile: 'missing.yaml' }, /Cannot read/, undefined],
  ])('usage errors exit 2: %j', async (o, msg, hint) => {
    const e = await rejects(policyAdd(makeCtx(), deps(), { sandbox: 'alpha', yes: true, ...o }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(msg);
    if (hint) expect(e.hint).toMatch(hint);
  });

  it('refuses an unregistered sandbox', async () => {
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'beta', preset: 'npm', yes: true }),
    );
    expect(e.kind).toBe('not-found');
  });
});

describe('policy-add --from-file (custom policies)', () => {
  const custom = `network_policies:
  internal_api:
    name: internal_api
    endpoints:
      - host: api.internal.example.com
        port: 443
        protocol: rest
        enforcement: enforce
        access: read-only
    binaries:
      - path: /usr/bin/node
`;
  it('applies it, records it by file name, and removes exactly its keys', async () => {
    await writeFile(join(home, 'my-api.yaml'), custom);
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'my-api.yaml', yes: true });
    expect(liveKeys()).toContain('internal_api');
    expect((await recorded()).customPolicies).toEqual([{ name: 'my-api', content: custom }]);

    await policyRemove(makeCtx(), deps(), { sandbox: 'alpha', name: 'my-api', yes: true });
    expect(liveKeys()).toEqual(['clawhub', 'openclaw_docs']);
    expect((await recorded()).customPolicies).toEqual([]);
  });

  it('names it by preset.name when the file declares one', async () => {
    await writeFile(
      join(home, 'f.yaml'),
      `preset: { name: corp, description: Corp API }\n${custom}`,
    );
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'f.yaml', yes: true });
    expect((await recorded()).customPolicies.map((c) => c.name)).toEqual(['corp']);
  });

  it('rejects an invalid file with its path and line, exit 2, before any change', async () => {
    await writeFile(
      join(home, 'bad.yaml'),
      custom.replace('access: read-only', 'acces: read-only'),
    );
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'bad.yaml', yes: true }),
    );
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(
      /bad\.yaml:9:9: network_policies\.internal_api\.endpoints\[0\]\.acces: unknown key/,
    );
    expect(openshell.gets).toBe(0);
  });

  it('refuses the name of a built-in preset', async () => {
    await writeFile(join(home, 'npm.yaml'), custom);
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'npm.yaml', yes: true }),
    );
    expect(e.message).toMatch(/built-in preset npm/);
  });

  it("refuses to take over another preset's key", async () => {
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true });
    await writeFile(join(home, 'mine.yaml'), custom.replaceAll('internal_api', 'npm_registry'));
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'mine.yaml', yes: true }),
    );
    expect(e.message).toMatch(/network_policies\.npm_registry, which belongs to npm/);
  });
});

describe('policy-remove', () => {
  it('deletes exactly the preset keys and forgets it', async () => {
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true });
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'pypi', yes: true });
    expect(
      await policyRemove(makeCtx(), deps(), { sandbox: 'alpha', name: 'npm', yes: true }),
    ).toBe(0);
    expect(liveKeys()).toEqual(['clawhub', 'openclaw_docs', 'pypi']);
    expect((await recorded()).presets).toEqual(['pypi']);
    expect(err.join('')).toMatch(/Removed the preset npm/);
  });

  it('is a no-op for a preset that is not applied', async () => {
    expect(
      await policyRemove(makeCtx(), deps(), { sandbox: 'alpha', name: 'npm', yes: true }),
    ).toBe(0);
    expect(openshell.sets).toHaveLength(0);
    expect(err.join('')).toMatch(/not applied/);
  });

  it('--dry-run shows only removed lines', async () => {
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true });
    await policyRemove(makeCtx(), deps(), { sandbox: 'alpha', name: 'npm', dryRun: true });
    expect(out.join('')).toMatch(/^- {2}npm_registry:/m);
    expect(out.join('')).not.toMatch(/^\+ /m);
    expect(openshell.sets).toHaveLength(1);
  });

  it('needs --yes without a terminal', async () => {
    const e = await rejects(policyRemove(makeCtx(), deps(), { sandbox: 'alpha', name: 'npm' }));
    expect(e.exitCode).toBe(2);
  });

  it('refuses an unknown name', async () => {
    const e = await rejects(
      policyRemove(makeCtx(), deps(), { sandbox: 'alpha', name: 'nope', yes: true }),
    );
    expect(e.exitCode).toBe(2);
  });
});

describe('a custom policy cannot shadow the baseline or another owner (issue 18 item 3)', () => {
  const ownKey = (key: string) =>
    `network_policies:\n  ${key}:\n    endpoints:\n      - {host: evil.example.com, port: 443, protocol: rest, access: read-only}\n    binaries: [{path: /usr/bin/curl}]\n`;

  it.each([
    ['clawhub', /network_policies\.clawhub, which belongs to the openclaw baseline policy/],
    ['npm_registry', /network_policies\.npm_registry, which belongs to the preset npm/],
    ['pypi', /belongs to the preset pypi|network_policies\.\w+, which belongs to the preset/],
  ])('refuses a key owned elsewhere: %s', async (key, re) => {
    const keys = Object.keys(
      (parse(baseline) as { network_policies: object }).network_policies,
    ).concat(presets.flatMap((p) => Object.keys(p.entries)));
    const k = key === 'pypi' ? presets.find((p) => p.name === 'pypi')!.entries : undefined;
    const chosen = k ? Object.keys(k)[0]! : key;
    expect(keys).toContain(chosen);
    await writeFile(join(home, 'shadow.yaml'), ownKey(chosen));
    const before = openshell.yaml;
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'shadow.yaml', yes: true }),
    );
    expect(e.message).toMatch(re);
    expect(openshell.yaml).toBe(before);
    expect(openshell.sets).toHaveLength(0);
    expect((await recorded()).customPolicies).toEqual([]);
  });

  it('refuses a key owned by another custom policy, naming it', async () => {
    await writeFile(join(home, 'first.yaml'), ownKey('internal_one'));
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'first.yaml', yes: true });
    await writeFile(join(home, 'second.yaml'), ownKey('internal_one'));
    const e = await rejects(
      policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'second.yaml', yes: true }),
    );
    expect(e.message).toMatch(/internal_one, which belongs to first/);
  });

  it('removing a custom policy recorded with a baseline key keeps the baseline entry', async () => {
    // A registry written before keys were checked: the custom policy claims clawhub.
    await makeCtx()
      .registry()
      .update((r) => {
        const a = r.sandboxes.alpha!;
        return {
          ...r,
          sandboxes: {
            ...r.sandboxes,
            alpha: { ...a, customPolicies: [{ name: 'old', content: ownKey('clawhub') }] },
          },
        };
      });
    expect(liveKeys()).toContain('clawhub');
    await policyRemove(makeCtx(), deps(), { sandbox: 'alpha', name: 'old', yes: true });
    expect(liveKeys()).toContain('clawhub');
    expect((await recorded()).customPolicies).toEqual([]);
  });
});
