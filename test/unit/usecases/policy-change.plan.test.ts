/**
 * policy-add / policy-remove run the plan they print (issue 17 item 3): the dry-run plan goes to
 * stdout, and the "live has it, the registry does not" case is a registry write the user is told
 * about, not "nothing to change".
 */
import { readFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PolicyView } from '../../../src/adapters/openshell/types.ts';
import { loadBaseline, loadPresets } from '../../../src/adapters/policy/assets.ts';
import { composePolicy } from '../../../src/core/policy/merge.ts';
import { emptyRegistry, withSandbox } from '../../../src/core/registry/schema.ts';
import { policyAdd, policyRemove } from '../../../src/usecases/policy-change.ts';
import type { PolicyDeps } from '../../../src/usecases/policy-shared.ts';
import { PACKAGE_ROOT as ROOT, sandboxEntry, useTestHome } from '../../helpers/context.ts';
import { noQuestion, packagedFiles } from '../../helpers/policy-world.ts';

const presets = await loadPresets(ROOT);
const baseline = await loadBaseline(ROOT, 'openclaw');
const npm = presets.find((p) => p.name === 'npm')!;

let out: string[];
let err: string[];
let live: string;
let sets: string[];

const entry = sandboxEntry;

const t = useTestHome({ prefix: 'nemoclaw-policy-change-', sandboxes: [entry()] });
const ctx = () => t.context();

const deps: PolicyDeps = {
  presets: async () => presets,
  baseline: (agent) => loadBaseline(ROOT, agent),
  files: packagedFiles.files,
  confirm: noQuestion,
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

beforeEach(() => {
  out = t.out;
  err = t.err;
  sets = [];
  live = baseline;
});

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
