/**
 * policy-add / policy-remove run the plan they print (issue 17 item 3): the dry-run plan goes to
 * stdout, and the "live has it, the registry does not" case is a registry write the user is told
 * about, not "nothing to change".
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PolicyView } from '../../../src/adapters/openshell/types.ts';
import { loadBaseline, loadPresets } from '../../../src/adapters/policy/assets.ts';
import { statePaths } from '../../../src/adapters/state/paths.ts';
import { registryStore } from '../../../src/adapters/state/registry-store.ts';
import { createUi } from '../../../src/adapters/terminal/ui.ts';
import type { Context } from '../../../src/context.ts';
import { composePolicy } from '../../../src/core/policy/merge.ts';
import { emptyRegistry, withSandbox } from '../../../src/core/registry/schema.ts';
import { policyAdd, policyRemove } from '../../../src/usecases/policy-change.ts';
import type { PolicyDeps } from '../../../src/usecases/policy-shared.ts';
import { sandboxEntry } from '../../helpers/context.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const presets = await loadPresets(ROOT);
const baseline = await loadBaseline(ROOT, 'openclaw');
const npm = presets.find((p) => p.name === 'npm')!;

let home: string;
let out: string[];
let err: string[];
let live: string;
let sets: string[];

const entry = sandboxEntry;

function ctx(): Context {
  const registry = registryStore(join(home, 'sandboxes.json'));
  return {
    env: {},
    cwd: home,
    paths: statePaths(home),
    packageRoot: ROOT,
    ui: createUi({
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      stdinIsTTY: false,
    }),
    log: { debug() {}, info() {}, warn() {}, error() {}, flush() {} },
    defaultAgent: 'openclaw',
    nonInteractive: true,
    now: () => new Date('2026-02-02T00:00:00.000Z'),
    registry: () => registry,
  } as unknown as Context;
}

const deps: PolicyDeps = {
  presets: async () => presets,
  baseline: (agent) => loadBaseline(ROOT, agent),
  openshell: {
    async policyGet(): Promise<PolicyView> {
      return { version: 1, hash: 'h', status: 'Loaded', yaml: live };
    },
    async policySet(_s: string, file: string) {
      sets.push(await readFile(file, 'utf8'));
      live = sets.at(-1)!;
      return { version: 2, unchanged: false };
    },
  },
};

const recorded = async () => (await ctx().registry().read()).sandboxes.alpha!;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nemoclaw-policy-change-'));
  out = [];
  err = [];
  sets = [];
  live = baseline;
  await ctx()
    .registry()
    .update(() => withSandbox(emptyRegistry(), entry()));
});
afterEach(() => rm(home, { recursive: true, force: true }));

describe('policy change plans', () => {
  it('--dry-run prints the diff and the plan on stdout, and nothing on stderr but the note', async () => {
    expect(await policyAdd(ctx(), deps, { sandbox: 'alpha', preset: 'npm', dryRun: true })).toBe(0);
    const stdout = out.join('');
    expect(stdout).toContain('Plan: add preset npm to sandbox alpha');
    expect(stdout).toMatch(/1\. openshell\.policy\.set alpha/);
    expect(stdout).toMatch(/3\. registry\.entry\.update alpha/);
    expect(err.join('')).not.toContain('Plan:');
    expect(err.join('')).toMatch(/Dry run: nothing was changed/);
    expect(sets).toEqual([]);
  });

  it('live has it, the registry does not: it is recorded, and the user is told so', async () => {
    live = composePolicy(baseline, [npm]);
    expect(await policyAdd(ctx(), deps, { sandbox: 'alpha', preset: 'npm', yes: true })).toBe(0);
    expect(sets).toEqual([]);
    expect((await recorded()).presets).toEqual(['npm']);
    expect(err.join('')).toMatch(/registry does not record it: recording it/);
    expect(err.join('')).not.toMatch(/nothing to change/);
  });

  it('its dry run prints that registry write as the plan, and writes nothing', async () => {
    live = composePolicy(baseline, [npm]);
    await policyAdd(ctx(), deps, { sandbox: 'alpha', preset: 'npm', dryRun: true });
    expect(out.join('')).toMatch(
      /Plan: add preset npm to sandbox alpha\n\s+1\. registry\.entry\.update alpha/,
    );
    expect(out.join('')).not.toContain('openshell.policy.set');
    expect((await recorded()).presets).toEqual([]);
  });

  it('remove: the registry has it, live does not: it is forgotten, and the user is told so', async () => {
    await ctx()
      .registry()
      .update(() => withSandbox(emptyRegistry(), entry({ presets: ['npm'] })));
    expect(await policyRemove(ctx(), deps, { sandbox: 'alpha', name: 'npm', yes: true })).toBe(0);
    expect(sets).toEqual([]);
    expect((await recorded()).presets).toEqual([]);
    expect(err.join('')).toMatch(/registry records it: forgetting it/);
  });
});
