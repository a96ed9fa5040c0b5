/**
 * The policy use cases against an in-memory OpenShell stand-in (policy get/set only) and a real
 * temporary registry. The stand-in validates what it is sent the way OpenShell does (strict
 * schema, static sections frozen) and re-serialises it the way OpenShell does (`name` filled in,
 * `port` as `ports`), so a re-add must still be recognised as a no-op.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
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
import { policyAdd } from '../../../src/usecases/policy-change.ts';
import { type PolicyDeps } from '../../../src/usecases/policy-shared.ts';
import { policyCheck, policyGet, policyList } from '../../../src/usecases/policy-view.ts';

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

async function rejects(p: Promise<unknown>): Promise<NemoclawError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NemoclawError);
    return e as NemoclawError;
  }
  throw new Error('expected a rejection');
}

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

describe('policy-list', () => {
  it('marks applied (●) and not applied (○) presets from the live policy', async () => {
    await policyAdd(makeCtx(), deps(), { sandbox: 'alpha', preset: 'npm', yes: true });
    out = [];
    await policyList(makeCtx(), deps(), { sandbox: 'alpha' });
    const text = out.join('');
    expect(text).toMatch(/● npm +npm and Yarn/);
    expect(text).toMatch(/○ pypi/);
  });

  it('--json, and notes drift between the registry and the live policy', async () => {
    await makeCtx()
      .registry()
      .update((r) => ({
        ...r,
        sandboxes: { alpha: { ...r.sandboxes.alpha!, presets: ['pypi'] } },
      }));
    await policyList(makeCtx(), deps(), { sandbox: 'alpha', json: true });
    const doc = JSON.parse(out.join(''));
    expect(doc).toMatchObject({ schemaVersion: 1, sandbox: 'alpha', source: 'live' });
    expect(doc.presets.find((p: { name: string }) => p.name === 'pypi')).toMatchObject({
      applied: false,
      recorded: true,
    });
  });

  it('falls back to the registry with a warning when the live policy cannot be read', async () => {
    openshell.yaml = 'garbage: [';
    await policyList(makeCtx(), deps(), { sandbox: 'alpha', json: true });
    expect(JSON.parse(out.join('')).source).toBe('registry');
    expect(err.join('')).toMatch(/Cannot read the live policy/);
  });
});

describe('policy-get', () => {
  it('prints the YAML, with metadata as comments unless --raw', async () => {
    await policyGet(makeCtx(), deps(), { sandbox: 'alpha' });
    expect(out.join('')).toMatch(
      /^# Effective policy of sandbox alpha\n# version 1, hash a1b2c3d4e5f6, status Loaded/,
    );
    out = [];
    await policyGet(makeCtx(), deps(), { sandbox: 'alpha', raw: true });
    expect(out.join('')).toBe(`${baseline.trimEnd()}\n`);
  });
});

describe('policy-check', () => {
  it.each([
    [
      'https://clawhub.com/skills',
      {},
      0,
      /^ALLOWED +GET https:\/\/clawhub.com\/skills\n {2}by network_policies\.clawhub\.endpoints\[0\] access: read-only/,
    ],
    [
      'https://clawhub.com/skills',
      { method: 'POST' },
      1,
      /DENIED.*\n.*no rule allows POST \/skills/,
    ],
    [
      'https://clawhub.com/skills',
      { binary: '/usr/bin/curl' },
      1,
      /allowed binaries: \/usr\/local\/bin\/openclaw, \/usr\/bin\/node/,
    ],
    [
      'https://registry.npmjs.org/left-pad',
      {},
      1,
      /the preset npm would allow it: nemoclaw alpha policy-add npm/,
    ],
    ['https://nowhere.example.org/', {}, 1, /no preset allows it/],
  ])('%s %j → exit %i', async (url, o, code, want) => {
    expect(await policyCheck(makeCtx(), deps(), { sandbox: 'alpha', url, ...o })).toBe(code);
    expect(out.join('')).toMatch(want);
  });

  it('--json', async () => {
    await policyCheck(makeCtx(), deps(), {
      sandbox: 'alpha',
      url: 'https://pypi.org/simple/x/',
      json: true,
    });
    expect(JSON.parse(out.join(''))).toMatchObject({
      schemaVersion: 1,
      decision: 'deny',
      reason: 'no-endpoint',
      suggestions: ['pypi'],
    });
  });

  it.each([
    ['not a url', {}],
    ['ftp://x.example.com/', {}],
    ['https://x.example.com/', { method: 'GE T' }],
    ['https://x.example.com/', { binary: 'curl' }],
  ])('usage errors exit 2: %s %j', async (url, o) => {
    const e = await rejects(policyCheck(makeCtx(), deps(), { sandbox: 'alpha', url, ...o }));
    expect(e.exitCode).toBe(2);
  });
});
