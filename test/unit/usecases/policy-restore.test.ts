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
import { composePolicy } from '../../../src/core/policy/merge.ts';
import { parsePolicy } from '../../../src/core/policy/parse.ts';
import {
  emptyRegistry,
  withSandbox,
  type SandboxEntry,
} from '../../../src/core/registry/schema.ts';
import { policyAdd } from '../../../src/usecases/policy-change.ts';
import { recordedPatches, type PolicyDeps } from '../../../src/usecases/policy-shared.ts';
import { creationPolicy, ensurePolicies } from '../../../src/usecases/policy-restore.ts';

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

describe('restoring after a rebuild or re-onboard', () => {
  it('the recorded presets and custom policies compose the same network policy', async () => {
    await writeFile(
      join(home, 'corp.yaml'),
      'network_policies:\n  corp:\n    endpoints: [{ host: corp.example.com, port: 443 }]\n    binaries: [{ path: /usr/bin/curl }]\n',
    );
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'github', yes: true });
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', fromFile: 'corp.yaml', yes: true });
    const rebuilt = composePolicy(baseline, recordedPatches(await recorded(), presets));
    expect(Object.keys(parse(rebuilt).network_policies).sort()).toEqual(liveKeys().sort());
  });
});

describe('onboarding and rebuild helpers', () => {
  it('creationPolicy: the baseline plus recorded presets and custom policies, valid', async () => {
    const custom = {
      name: 'corp',
      content:
        'network_policies:\n  corp:\n    endpoints: [{ host: corp.example.com, port: 443 }]\n    binaries: [{ path: /usr/bin/curl }]\n',
    };
    const yaml = await creationPolicy(
      makeCtx(),
      { presets },
      {
        agent: 'hermes',
        presets: ['npm', 'pypi'],
        customPolicies: [custom],
      },
    );
    const p = parsePolicy(yaml, 'creation').policy;
    expect(Object.keys(p.network_policies!)).toEqual(['npm_registry', 'pypi', 'corp']);
    expect(p.process).toEqual({ run_as_user: 'sandbox', run_as_group: 'sandbox' });
  });

  it('ensurePolicies: applies a tier in one set and never drops what the user added', async () => {
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'slack', yes: true });
    const r = await ensurePolicies(makeCtx(), deps(), {
      sandbox: 'alpha',
      presets: ['npm', 'pypi'],
    });
    expect(r).toMatchObject({
      presets: ['npm', 'pypi', 'slack'],
      changed: true,
      added: ['npm_registry', 'pypi'],
    });
    expect(openshell.sets).toHaveLength(2);
    expect(liveKeys()).toEqual(['clawhub', 'openclaw_docs', 'slack', 'npm_registry', 'pypi']);
    expect((await recorded()).presets).toEqual(['npm', 'pypi', 'slack']);
    // Re-onboarding with the restricted tier keeps them all and changes nothing.
    const again = await ensurePolicies(makeCtx(), deps(), { sandbox: 'alpha', presets: [] });
    expect(again.changed).toBe(false);
    expect(openshell.sets).toHaveLength(2);
    expect((await recorded()).presets).toEqual(['npm', 'pypi', 'slack']);
  });

  it('ensurePolicies: restores recorded presets on a fresh (rebuilt) sandbox', async () => {
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'github', yes: true });
    openshell.yaml = baseline; // the rebuilt sandbox starts from the baseline
    await ensurePolicies(makeCtx(), deps(), { sandbox: 'alpha', presets: [] });
    expect(liveKeys()).toContain('github');
  });

  it('ensurePolicies: refuses an unknown preset name', async () => {
    const e = await rejects(
      ensurePolicies(makeCtx(), deps(), { sandbox: 'alpha', presets: ['nope'] }),
    );
    expect(e.exitCode).toBe(2);
  });
});
