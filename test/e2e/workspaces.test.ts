/**
 * A route per sandbox: each new sandbox gets its own OpenShell workspace, so `inference set` on one
 * leaves every other sandbox's route alone. Checked through the simulator's own
 * `inference get --workspace …`, plus the path of a sandbox left in the `default` workspace by an
 * older nemoclaw.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutDocker } from '../helpers/docker.ts';
import {
  buildStandinImages,
  cleanupImages,
  createWorld,
  type Images,
  type World,
} from '../helpers/e2e.ts';
import { simExec, simSh } from '../helpers/sandbox-flow.ts';
import { freePort } from '../helpers/net.ts';
import { update } from '../simulator/state.ts';

const skip = await skipWithoutDocker('workspaces end to end');

/** Moves a sandbox's record from its own workspace into `default` and drops that workspace. */
function asOldNemoclaw(stateDir: string, sandbox: string): void {
  const before = process.env.OPENSHELL_SIM_STATE;
  process.env.OPENSHELL_SIM_STATE = stateDir;
  try {
    update((s) => {
      for (const gw of Object.values(s.servers)) {
        const ws = gw.workspaces?.[`nc-${sandbox}`];
        const rec = ws?.scope.sandboxes[sandbox];
        if (!ws || !rec) continue;
        gw.sandboxes[sandbox] = { ...rec, workspace: 'default' };
        delete gw.workspaces![`nc-${sandbox}`];
        return;
      }
      throw new Error(`no sandbox ${sandbox} in its own workspace`);
    });
  } finally {
    if (before === undefined) delete process.env.OPENSHELL_SIM_STATE;
    else process.env.OPENSHELL_SIM_STATE = before;
  }
}
/** Every file under a folder (the canary scan). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  );
}

/** test/simulator/commands/provider.ts `fingerprint`: what the simulated gateway keeps of a value. */
const fingerprint = (v: string) => createHash('sha256').update(v).digest('hex').slice(0, 16);

const A = 'ws-alpha';
const B = 'ws-beta';
const OLD = 'ws-old';

describe.skipIf(skip)('a route per sandbox', () => {
  let images: Images;
  let w: World;
  const regFile = () => join(w.env.NEMOCLAW_HOME!, 'sandboxes.json');
  const registry = () => JSON.parse(readFileSync(regFile(), 'utf8'));
  /** The route as OpenShell (the simulator) holds it in one workspace. */
  const routeIn = async (ws: string) =>
    (await w.sim.run(['inference', 'get', '-g', 'nemoclaw', '--workspace', ws])).stdout;
  /** The sandboxes OpenShell lists in one workspace. */
  const sandboxesIn = async (ws: string) =>
    JSON.parse(
      (await w.sim.run(['sandbox', 'list', '-g', 'nemoclaw', '-o', 'json', '--workspace', ws]))
        .stdout,
    );

  beforeAll(async () => {
    images = await buildStandinImages();
    w = await createWorld(images);
    for (const [name, port] of [
      [A, undefined],
      [B, String(await freePort())],
    ] as const) {
      const r = await w.cli(['onboard', '--name', name], {
        env: port ? { NEMOCLAW_DASHBOARD_PORT: port } : {},
      });
      if (r.code !== 0) throw new Error(`onboard ${name} failed:\n${r.stderr}`);
    }
  }, 480_000);
  afterAll(async () => {
    await w?.cleanup();
    await cleanupImages();
  });

  it('puts each new sandbox, its provider and its route in a workspace of its own', async () => {
    expect(registry().sandboxes[A].workspace).toBe(`nc-${A}`);
    expect(registry().sandboxes[B].workspace).toBe(`nc-${B}`);
    const made = w.sim.invocations().filter((i) => i.command === 'workspace create');
    expect(made.map((i) => i.argv)).toContainEqual(expect.arrayContaining(['--name', `nc-${A}`]));
    for (const ws of [`nc-${A}`, `nc-${B}`])
      expect(await routeIn(ws)).toContain('Model: test-model');
    const sandboxes = await sandboxesIn(`nc-${B}`);
    expect(sandboxes.map((s: { name: string }) => s.name)).toEqual([B]);
  });

  it('inference set --sandbox changes only that sandbox, and says so', async () => {
    const r = await w.cli([
      'inference',
      'set',
      '--sandbox',
      B,
      '--provider',
      'nvidia-prod',
      '--model',
      'other-model',
      '--no-verify',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`workspace nc-${B}`);
    expect(r.stdout).toContain(`It serves: ${B}.`);
    expect(r.stdout).toContain('other workspaces keep their own routes');
    expect(await routeIn(`nc-${B}`)).toContain('Model: other-model');
    expect(await routeIn(`nc-${A}`)).toContain('Model: test-model');
    expect(registry().sandboxes[A].model).toBe('test-model');
    expect(registry().sandboxes[B].model).toBe('other-model');
    const got = JSON.parse((await w.cli(['inference', 'get', '--sandbox', A, '--json'])).stdout);
    expect(got).toMatchObject({ workspace: `nc-${A}`, route: { model: 'test-model' } });
  });

  it('list and status show each sandbox route and workspace', async () => {
    const list = JSON.parse((await w.cli(['list', '--json'])).stdout);
    const byName = Object.fromEntries(list.sandboxes.map((s: { name: string }) => [s.name, s]));
    expect(byName[A]).toMatchObject({ workspace: `nc-${A}`, route: { model: 'test-model' } });
    expect(byName[B]).toMatchObject({ workspace: `nc-${B}`, route: { model: 'other-model' } });
    expect(byName[A].phase).toBe('Ready');
    expect(list.untracked).toEqual([]);
    const text = (await w.cli(['list'])).stdout;
    expect(text).toContain(`other-model via build (own, workspace nc-${B})`);
    const st = JSON.parse((await w.cli([B, 'status', '--json'])).stdout);
    expect(st.parts.inference).toMatchObject({
      state: 'ok',
      workspace: `nc-${B}`,
      model: 'other-model',
    });
  });

  /** The fingerprint of nvidia-prod's key as the simulated gateway holds it in one workspace. */
  const keyPrintIn = (ws: string): string | undefined => {
    const state = JSON.parse(readFileSync(join(w.sim.stateDir, 'state.json'), 'utf8'));
    const [gw] = Object.values(state.servers) as {
      workspaces?: Record<string, { scope: { providers: Record<string, unknown> } }>;
    }[];
    const p = gw!.workspaces?.[ws]?.scope.providers['nvidia-prod'] as
      { credential_fingerprints: Record<string, string> } | undefined;
    return p?.credential_fingerprints.NVIDIA_API_KEY;
  };
  const calls = (command: string, since: number) =>
    w.sim
      .invocations()
      .slice(since)
      .filter((c) => c.command === command);
  const wsOf = (argv: string[]) => argv[argv.indexOf('--workspace') + 1];

  it('credentials list shows the providers of every workspace in use; --sandbox limits it to one', async () => {
    const all = await w.cli(['credentials', 'list', '--json']);
    expect(all.code, all.stderr).toBe(0);
    const doc = JSON.parse(all.stdout);
    expect(doc.schemaVersion).toBe(1);
    const rows = doc.providers.filter((p: { name: string }) => p.name === 'nvidia-prod');
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          gateway: 'nemoclaw',
          workspace: `nc-${A}`,
          sandboxes: [A],
          credentialKeys: ['NVIDIA_API_KEY'],
        }),
        expect.objectContaining({ gateway: 'nemoclaw', workspace: `nc-${B}`, sandboxes: [B] }),
      ]),
    );
    const text = await w.cli(['credentials', 'list']);
    expect(text.stdout).toContain(`workspace nc-${A} on gateway nemoclaw (sandbox ${A})`);
    expect(text.stdout).toContain(`workspace nc-${B} on gateway nemoclaw (sandbox ${B})`);
    expect(text.stdout + all.stdout).not.toContain(w.env.NVIDIA_API_KEY);

    const one = JSON.parse((await w.cli(['credentials', 'list', '--sandbox', B, '--json'])).stdout);
    expect(one.providers.length).toBeGreaterThan(0);
    expect(new Set(one.providers.map((p: { workspace: string }) => p.workspace))).toEqual(
      new Set([`nc-${B}`]),
    );
    const unknown = await w.cli(['credentials', 'list', '--sandbox', 'ws-nope']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('ws-nope');
  });

  it('credentials reset replaces the key in every workspace that holds it; the value goes nowhere but the child env', async () => {
    const fresh = `nvapi-rotated-${randomBytes(12).toString('hex')}`;
    const before = w.sim.invocations().length;
    const r = await w.cli(['credentials', 'reset', 'build', '--verbose'], {
      env: { NVIDIA_API_KEY: fresh },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `✓ nvidia-prod: replaced in workspace nc-${A} on gateway nemoclaw (sandbox ${A})`,
    );
    expect(r.stdout).toContain(
      `✓ nvidia-prod: replaced in workspace nc-${B} on gateway nemoclaw (sandbox ${B})`,
    );
    expect(keyPrintIn(`nc-${A}`)).toBe(fingerprint(fresh));
    expect(keyPrintIn(`nc-${B}`)).toBe(fingerprint(fresh));
    // In place, one update per workspace, the value by env name only.
    const updates = calls('provider update', before);
    expect(updates.map((c) => wsOf(c.argv)).sort()).toEqual([`nc-${A}`, `nc-${B}`]);
    for (const u of updates) expect(u.secretEnv).toContain('NVIDIA_API_KEY');
    expect(calls('provider delete', before)).toEqual([]);
    // The canary: not in any argv, output, log or state file.
    const leaks = [
      ...w.sim
        .invocations()
        .filter((c) => c.argv.join('\0').includes(fresh))
        .map((c) => c.argv.join(' ')),
      ...((r.stdout + r.stderr).includes(fresh) ? ['output'] : []),
      ...filesUnder(w.env.NEMOCLAW_HOME!).filter((f) => readFileSync(f, 'latin1').includes(fresh)),
      ...filesUnder(w.sim.stateDir).filter((f) => readFileSync(f, 'latin1').includes(fresh)),
    ];
    expect(leaks).toEqual([]);

    const only = `nvapi-only-${randomBytes(12).toString('hex')}`;
    const mark = w.sim.invocations().length;
    const one = await w.cli(['credentials', 'reset', 'build', '--sandbox', A], {
      env: { NVIDIA_API_KEY: only },
    });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain(`replaced in workspace nc-${A}`);
    expect(one.stdout).not.toContain(`nc-${B}`);
    expect(calls('provider update', mark).map((c) => wsOf(c.argv))).toEqual([`nc-${A}`]);
    expect(keyPrintIn(`nc-${A}`)).toBe(fingerprint(only));
    expect(keyPrintIn(`nc-${B}`)).toBe(fingerprint(fresh));

    const missing = await w.cli(['credentials', 'reset', 'nvidia-pord']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Did you mean nvidia-prod?');
  });

  it('credentials reset: a workspace whose update fails is named, the others still get the new key, exit 1', async () => {
    const held = keyPrintIn(`nc-${A}`);
    const state = JSON.parse(readFileSync(join(w.sim.stateDir, 'state.json'), 'utf8'));
    const prior = (state.calls?.['provider update'] as number | undefined) ?? 0;
    const next = `nvapi-partial-${randomBytes(12).toString('hex')}`;
    // Workspaces are updated in name order: nc-ws-alpha first, so its update is the one that fails.
    const r = await w.cli(['credentials', 'reset', 'build'], {
      env: { NVIDIA_API_KEY: next, OPENSHELL_SIM_FAIL: `provider update:${prior + 1}` },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`not replaced in workspace nc-${A} on gateway nemoclaw`);
    expect(r.stderr).toContain('1 workspace keeps the old value');
    expect(r.stdout).toContain(`✓ nvidia-prod: replaced in workspace nc-${B}`);
    expect(keyPrintIn(`nc-${A}`)).toBe(held);
    expect(keyPrintIn(`nc-${B}`)).toBe(fingerprint(next));
    expect(r.stdout + r.stderr).not.toContain(next);
  });

  it('a sandbox left in the default workspace keeps working and shares its route', async () => {
    // What an older nemoclaw left: provider, route and sandbox in `default`, no workspace recorded.
    const sim = (args: string[], env: Record<string, string> = {}) =>
      w.sim.run([...args, '-g', 'nemoclaw'], { env: { ...w.sim.env, ...env } });
    // Onboarded now, then put back where an older nemoclaw kept it: the sandbox record in the
    // simulator's `default` workspace and no workspace in the registry entry.
    const made = await w.cli(['onboard', '--name', OLD], {
      env: { NEMOCLAW_DASHBOARD_PORT: String(await freePort()) },
    });
    expect(made.code, made.stderr).toBe(0);
    asOldNemoclaw(w.sim.stateDir, OLD);
    const reg = registry();
    reg.sandboxes[OLD] = { ...reg.sandboxes[OLD], model: 'old-model' };
    delete reg.sandboxes[OLD].workspace;
    writeFileSync(regFile(), JSON.stringify(reg, null, 2));
    expect(
      (
        await sim(
          [
            'provider',
            'create',
            '--name',
            'nvidia-prod',
            '--type',
            'nvidia',
            '--credential',
            'NVIDIA_API_KEY',
          ],
          { NVIDIA_API_KEY: 'nvapi-old-0123456789' },
        )
      ).code,
    ).toBe(0);
    await sim([
      'inference',
      'set',
      '--provider',
      'nvidia-prod',
      '--model',
      'old-model',
      '--no-verify',
    ]);

    const st = JSON.parse((await w.cli([OLD, 'status', '--json'])).stdout);
    expect(st.parts.inference).toMatchObject({ workspace: 'default', model: 'old-model' });
    expect(st.parts.inference.summary).toContain('shared route, default workspace');
    const r = await w.cli([
      'inference',
      'set',
      '--sandbox',
      OLD,
      '--provider',
      'nvidia-prod',
      '--model',
      'old-model-2',
      '--no-verify',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('default workspace');
    expect(await routeIn('default')).toContain('Model: old-model-2');
    expect(await routeIn(`nc-${A}`)).toContain('Model: test-model');
    const list = JSON.parse((await w.cli(['list', '--json'])).stdout);
    expect(list.sandboxes.find((s: { name: string }) => s.name === OLD)).toMatchObject({
      workspace: 'default',
      phase: 'Ready',
    });
  });

  it('a rebuild moves a sandbox from the default workspace into its own, journaled', async () => {
    // Some agent state to carry over (a snapshot of none cannot be verified).
    const seeded = await simSh(
      w,
      OLD,
      'mkdir -p /sandbox/.openclaw/workspace && echo kept > /sandbox/.openclaw/workspace/note.md',
    );
    expect(seeded.code, seeded.stderr).toBe(0);
    const r = await w.cli([OLD, 'rebuild', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr + r.stdout).toContain(`moving ${OLD} into workspace nc-${OLD}`);
    expect(registry().sandboxes[OLD].workspace).toBe(`nc-${OLD}`);
    const journal = JSON.parse(
      readFileSync(join(w.env.NEMOCLAW_HOME!, 'journal', `${OLD}.done.json`), 'utf8'),
    );
    expect(journal).toMatchObject({ workspace: `nc-${OLD}` });
    expect(await routeIn(`nc-${OLD}`)).toContain('Model: old-model-2');
    const inDefault = await sandboxesIn('default');
    expect(inDefault).toEqual([]);
    const st = JSON.parse((await w.cli([OLD, 'status', '--json'])).stdout);
    expect(st.parts.inference).toMatchObject({ workspace: `nc-${OLD}`, model: 'old-model-2' });
    const note = await simExec(w, OLD, ['cat', '/sandbox/.openclaw/workspace/note.md']);
    expect(note.stdout).toBe('kept\n');
  });
});
