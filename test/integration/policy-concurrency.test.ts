/**
 * Issue 18 item 2: many policy changes at once, each a real CLI process against the OpenShell
 * simulator. Every change must be in the live policy and in the registry afterwards, and `status`
 * must report a registry that claims what the live policy lacks.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenshellClient } from '../../src/adapters/openshell/client.ts';
import type { OpenshellClient } from '../../src/adapters/openshell/types.ts';
import { registryStore } from '../../src/adapters/state/registry-store.ts';
import { emptyRegistry, withSandbox } from '../../src/core/registry/schema.ts';
import { createSimulator, startHealthServer, type Simulator } from '../helpers/simulator.ts';
import { sandboxEntry } from '../helpers/context.ts';

const ROOT = join(import.meta.dirname, '../..');
const CHILD = join(ROOT, 'test/helpers/cli-child.ts');
const PRESETS = ['npm', 'pypi', 'github', 'huggingface', 'brew', 'brave', 'slack', 'jira'];

let sim: Simulator;
let gw: Awaited<ReturnType<typeof startHealthServer>>;
let client: OpenshellClient;
let home: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CHILD, ...args],
      { env: { ...sim.env, NEMOCLAW_HOME: home, NO_COLOR: '1' }, cwd: home },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function liveKeys(name: string): Promise<string[]> {
  const view = await client.policyGet(name);
  return Object.keys((parse(view.yaml!) as { network_policies?: object }).network_policies ?? {});
}

function presetKeys(preset: string): string[] {
  const f = parse(readFileSync(join(ROOT, 'presets', `${preset}.yaml`), 'utf8')) as {
    network_policies: object;
  };
  return Object.keys(f.network_policies);
}

const registry = () =>
  JSON.parse(readFileSync(join(home, 'sandboxes.json'), 'utf8')).sandboxes as Record<
    string,
    { presets: string[] }
  >;

async function sandbox(name: string) {
  const baseline = join(sim.stateDir, `${name}-baseline.yaml`);
  writeFileSync(baseline, readFileSync(join(ROOT, 'policies/openclaw-sandbox.yaml')));
  await client.sandboxCreate({
    name,
    from: 'nemoclaw-sandbox:test',
    policyFile: baseline,
    autoProviders: false,
    command: ['/bin/sh', '-l'],
  });
  await registryStore(join(home, 'sandboxes.json')).update((r) =>
    withSandbox(r ?? emptyRegistry(), sandboxEntry({ name, policyTier: 'restricted' })),
  );
}

beforeAll(async () => {
  sim = createSimulator({ docker: false, readyDelayMs: 10 });
  gw = await startHealthServer();
  home = mkdtempSync(join(tmpdir(), 'nc-policy-conc-'));
  const add = await sim.run(['gateway', 'add', gw.url, '--local', '--name', 'nemoclaw']);
  if (add.code !== 0) throw new Error(add.stderr);
  client = createOpenshellClient({ gateway: 'nemoclaw', env: sim.env });
}, 60_000);
afterAll(async () => {
  sim?.cleanup();
  await gw?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('policy changes at once', () => {
  it(`${PRESETS.length} policy-add runs at once all land, live and in the registry`, async () => {
    await sandbox('conc-a');
    const runs = await Promise.all(PRESETS.map((p) => cli(['conc-a', 'policy-add', p, '--yes'])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const live = await liveKeys('conc-a');
    for (const p of PRESETS) for (const k of presetKeys(p)) expect(live, `${p}: ${k}`).toContain(k);
    expect([...registry()['conc-a']!.presets].sort()).toEqual([...PRESETS].sort());
    expect(live).toContain('clawhub'); // the baseline is untouched
  }, 240_000);

  it('adds and removes at once leave exactly the expected presets', async () => {
    await sandbox('conc-b');
    for (const p of ['npm', 'pypi', 'github'])
      expect((await cli(['conc-b', 'policy-add', p, '--yes'])).code).toBe(0);
    const runs = await Promise.all([
      cli(['conc-b', 'policy-remove', 'npm', '--yes']),
      cli(['conc-b', 'policy-add', 'brew', '--yes']),
      cli(['conc-b', 'policy-remove', 'pypi', '--yes']),
      cli(['conc-b', 'policy-add', 'brave', '--yes']),
      cli(['conc-b', 'policy-add', 'huggingface', '--yes']),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const live = await liveKeys('conc-b');
    for (const p of ['github', 'brew', 'brave', 'huggingface'])
      for (const k of presetKeys(p)) expect(live).toContain(k);
    for (const p of ['npm', 'pypi']) for (const k of presetKeys(p)) expect(live).not.toContain(k);
    expect([...registry()['conc-b']!.presets].sort()).toEqual(
      ['brave', 'brew', 'github', 'huggingface'].sort(),
    );
  }, 240_000);

  it('status and doctor report a preset the registry records but the live policy lacks', async () => {
    await sandbox('conc-c');
    expect((await cli(['conc-c', 'policy-add', 'npm', '--yes'])).code).toBe(0);
    // Someone else removes it behind nemoclaw's back.
    const view = await client.policyGet('conc-c');
    const doc = parse(view.yaml!) as { network_policies: Record<string, unknown> };
    for (const k of presetKeys('npm')) delete doc.network_policies[k];
    for (const k of Object.keys(doc.network_policies))
      if (k.startsWith('_provider')) delete doc.network_policies[k];
    const f = join(sim.stateDir, 'conc-c-edited.yaml');
    const { stringify } = await import('yaml');
    writeFileSync(f, stringify(doc));
    await client.policySet('conc-c', f, { wait: true });
    const st = await cli(['conc-c', 'status', '--json']);
    const report = JSON.parse(st.stdout) as {
      parts: { policy: { state: string; summary: string } };
    };
    expect(report.parts.policy.state).toBe('warn');
    expect(report.parts.policy.summary).toContain('NOT live');
    expect(report.parts.policy.summary).toContain('npm');
    const doctor = await cli(['doctor', '--json']);
    expect(doctor.stdout).toContain('state.policy.conc-c');
    expect(doctor.stdout).toContain('policy-add npm');
  }, 240_000);
});
