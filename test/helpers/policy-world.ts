/**
 * The policy use cases' world for unit tests: a test home with sandbox `alpha` registered, and an
 * in-memory OpenShell stand-in (policy get/set only). The stand-in validates what it is sent the
 * way OpenShell does (strict schema, static sections frozen) and re-serialises it the way OpenShell
 * does (`name` filled in, `port` as `ports`), so a re-add must still be recognised as a no-op.
 */
import { readFile, stat } from 'node:fs/promises';
import { beforeEach, expect } from 'vitest';
import { parse, stringify } from 'yaml';
import type { PolicyView } from '../../src/adapters/openshell/types.ts';
import { loadBaseline, loadPresets, loadTiers } from '../../src/adapters/policy/assets.ts';
import type { SandboxEntry } from '../../src/core/registry/schema.ts';
import { NemoclawError } from '../../src/core/errors.ts';
import { adapterAreas } from '../../src/main.ts';
import { parsePolicy } from '../../src/core/policy/parse.ts';
import type { PolicyDeps } from '../../src/usecases/policy-shared.ts';
import type { PolicyFiles } from '../../src/world.ts';
import { PACKAGE_ROOT, sandboxEntry, useTestHome, type ContextOptions } from './context.ts';

export const presets = await loadPresets(PACKAGE_ROOT);
export const baseline = await loadBaseline(PACKAGE_ROOT, 'openclaw');
/** The world's policy files (src/world.ts), read from the package as main.ts reads them. */
export const packagedFiles: PolicyFiles = {
  presets: async () => presets,
  tiers: () => loadTiers(PACKAGE_ROOT),
  baseline: (agent) => loadBaseline(PACKAGE_ROOT, agent),
  files: adapterAreas().files,
};

/** A confirm for tests that must not ask (no terminal): a question is a test failure. */
export async function noQuestion(question: string): Promise<boolean> {
  throw new Error(`unexpected question: ${question}`);
}

export class FakeOpenshell {
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

/** A fresh home with `alpha` registered and a fresh OpenShell stand-in on the baseline, per test. */
export function usePolicyWorld() {
  const t = useTestHome({ prefix: 'nemoclaw-policy-test-', sandboxes: [sandboxEntry()] });
  let openshell: FakeOpenshell | undefined;
  beforeEach(() => {
    openshell = new FakeOpenshell(baseline);
  });
  const world = {
    t,
    get openshell(): FakeOpenshell {
      if (!openshell) throw new Error('usePolicyWorld: read it inside a test');
      return openshell;
    },
    makeCtx: (o?: ContextOptions) => t.context(o),
    deps: (extra: Partial<PolicyDeps> = {}): PolicyDeps => ({
      openshell: world.openshell,
      presets: packagedFiles.presets,
      baseline: packagedFiles.baseline,
      files: packagedFiles.files,
      confirm: noQuestion,
      ...extra,
    }),
    recorded: async (): Promise<SandboxEntry> => (await t.registry().read()).sandboxes.alpha!,
    liveKeys: () =>
      Object.keys(
        (parse(world.openshell.yaml) as { network_policies?: object }).network_policies ?? {},
      ),
  };
  return world;
}

/** Awaits a promise that must reject with a NemoclawError, and returns the error. */
export async function rejects(p: Promise<unknown>): Promise<NemoclawError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NemoclawError);
    return e as NemoclawError;
  }
  throw new Error('expected a rejection');
}
