/**
 * Errors that are not swallowed (issue 17 item 6), with faults injected into the real paths: the
 * simulator fails one OpenShell call (OPENSHELL_SIM_FAIL), or the registry's write fails once.
 * No Docker needed for the OpenShell side (OPENSHELL_SIM_DOCKER=0); doctor and uninstall still
 * ask the real Engine, read-only (uninstall runs with --dry-run).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildContext } from '../../src/main.ts';
import { createWorld } from '../../src/main.ts';
import { sandboxLifecycle } from '../../src/usecases/lifecycle.ts';
import { runCli } from '../helpers/cli.ts';
import type { Simulator } from '../helpers/simulator.ts';
import { createSimulator, startHealthServer } from '../helpers/simulator.ts';

const SANDBOX = 'flt-box';

function writeRegistry(home: string): void {
  const now = '2026-11-21T00:00:00.000Z';
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, 'sandboxes.json'),
    JSON.stringify({
      schemaVersion: 1,
      defaultSandbox: SANDBOX,
      sandboxes: {
        [SANDBOX]: {
          name: SANDBOX,
          agent: 'openclaw',
          provider: 'build',
          model: 'nvidia/nemotron-3-super-120b-a12b',
          blueprintVersion: '0.1.0',
          blueprintDigest: `sha256:${'a'.repeat(64)}`,
          image: 'nemoclaw-sandbox-openclaw:0.1.0-aaaaaaaaaaaa',
          policyTier: 'balanced',
          presets: ['npm'],
          customPolicies: [],
          gpu: { enabled: false },
          dashboardPort: 18789,
          gatewayName: 'nemoclaw',
          channels: [],
          createdAt: now,
          updatedAt: now,
        },
      },
    }),
  );
}

describe('failed reads and failed undos are shown, not swallowed', () => {
  let sim: Simulator;
  let gw: Awaited<ReturnType<typeof startHealthServer>>;
  let home: string;

  beforeAll(async () => {
    sim = createSimulator({ docker: false, readyDelayMs: 100 });
    gw = await startHealthServer();
    expect((await sim.run(['gateway', 'add', gw.url, '--local', '--name', 'nemoclaw'])).code).toBe(
      0,
    );
    const c = await sim.run([
      'sandbox',
      'create',
      '--name',
      SANDBOX,
      '--from',
      'base',
      '-g',
      'nemoclaw',
    ]);
    expect(c.code, c.stderr).toBe(0);
  });
  afterAll(async () => {
    sim?.cleanup();
    await gw?.close();
  });
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'nc-faults-'));
    writeRegistry(home);
    return () => rmSync(home, { recursive: true, force: true });
  });

  it('doctor: a failing `forward list` is a check marked unknown with the reason, not "no forwards"', async () => {
    const r = await runCli(['doctor', '--json'], {
      ...sim.env,
      NEMOCLAW_HOME: home,
      OPENSHELL_SIM_FAIL: 'forward list:1',
    });
    const doc = JSON.parse(r.stdout);
    const check = doc.checks.find((c: { id: string }) => c.id === 'unknown.openshell.forward-list');
    expect(check).toMatchObject({
      status: 'warn',
      title: "Could not list OpenShell's port forwards",
    });
    expect(check.detail).toMatch(/^unknown: .*simulated failure of 'forward list'/);
    expect(check.detail).toContain('forwards to unregistered sandboxes');
  }, 120_000);

  it('uninstall --dry-run: a failing `gateway list` is a warning on stderr, and the plan still prints', async () => {
    const r = await runCli(['uninstall', '--dry-run', '--keep-openshell'], {
      ...sim.env,
      NEMOCLAW_HOME: home,
      OPENSHELL_SIM_FAIL: 'gateway list:1',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /Warning: Could not list OpenShell's gateways \(.*simulated failure of 'gateway list'.*\); gateway nemoclaw is taken as not registered; if it is, remove it with: openshell gateway remove nemoclaw\./,
    );
    expect(r.stdout).toContain('nemoclaw uninstall will remove:');
    // The dry run changed nothing.
    expect(JSON.parse(readFileSync(join(home, 'sandboxes.json'), 'utf8')).sandboxes).toHaveProperty(
      SANDBOX,
    );
  }, 120_000);

  it('stop: when the stop fails and so does the undo of the desired state, both are reported', async () => {
    let stderr = '';
    const logged: unknown[] = [];
    const ctx = buildContext(
      {
        argv: [SANDBOX, 'stop'],
        env: { ...sim.env, NEMOCLAW_HOME: home, OPENSHELL_SIM_FAIL: 'sandbox stop:1' },
        cwd: home,
        stdout: { write: () => true },
        stderr: { write: (s: string) => ((stderr += s), true) },
        stdinIsTTY: false,
      },
      { quiet: false, verbose: false, color: false },
    );
    ctx.log = { ...ctx.log, warn: (o: unknown, m?: string) => void logged.push([o, m]) };
    // The registry's second write (the undo) fails as a full disk would make it fail.
    const store = ctx.registry();
    let writes = 0;
    ctx.registry = () => ({
      ...store,
      update: (fn) =>
        ++writes === 2
          ? Promise.reject(new Error('ENOSPC: no space left on device, write'))
          : store.update(fn),
    });

    const err = await sandboxLifecycle(ctx, createWorld(ctx), {
      sandbox: SANDBOX,
      verb: 'stop',
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toContain(`Could not stop ${SANDBOX}`);
    expect(writes).toBe(2);
    expect(stderr).toContain(
      `Warning: Could not set ${SANDBOX} back to running in the registry after the failed stop (ENOSPC: no space left on device, write); the registry says it was stopped on purpose although it still runs; fix it with: nemoclaw ${SANDBOX} start.`,
    );
    expect(logged).toContainEqual([
      { lost: 'rollback.desired-state', reason: 'ENOSPC: no space left on device, write' },
      `could not set ${SANDBOX} back to running in the registry after the failed stop`,
    ]);
    // What the warning says is true: the registry kept "stopped".
    const reg = JSON.parse(readFileSync(join(home, 'sandboxes.json'), 'utf8'));
    expect(reg.sandboxes[SANDBOX].desiredState).toBe('stopped');
  }, 60_000);
});
