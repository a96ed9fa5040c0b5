import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, skipWithoutDocker } from '../helpers/docker.ts';
import { freePort } from '../helpers/net.ts';
import {
  buildStandinImages,
  cleanupImages,
  createWorld,
  type Images,
  type World,
} from '../helpers/e2e.ts';
import { simExec, simSh } from '../helpers/sandbox-flow.ts';

const skip = await skipWithoutDocker('onboarding end to end');

describe.skipIf(skip)('non-interactive onboarding', () => {
  let images: Images;
  let w: World;
  beforeAll(async () => {
    images = await buildStandinImages();
    w = await createWorld(images);
  });
  afterAll(async () => {
    await w?.cleanup();
    await cleanupImages();
  });

  it('onboards a sandbox end to end and registers it only once Ready', async () => {
    const r = await w.cli(['onboard', '--name', 'e2e-one']);
    expect(r.stderr + r.stdout).not.toContain('Error:');
    expect(r.code).toBe(0);
    for (let i = 1; i <= 8; i++) expect(r.stderr).toContain(`[${i}/8]`);
    // The summary, as the reference prints it: sandbox and protections, model and provider,
    // the dashboard, and the commands to go on with.
    const summary = [
      'Sandbox      e2e-one (OpenClaw)',
      'Protection   deny-by-default egress, Landlock filesystem, non-root process',
      'Policy       tier balanced; presets: npm, pypi, huggingface, brew, brave',
      'Model        test-model via NVIDIA Endpoints',
      'Inference    https://inference.local',
      `Dashboard    http://127.0.0.1:${w.env.NEMOCLAW_DASHBOARD_PORT}/`,
      'Your next five minutes:',
      '  2. Talk to the agent: nemoclaw e2e-one connect, then run: openclaw tui',
      'nemoclaw e2e-one policy-add <preset>',
      '  4. Logs: nemoclaw e2e-one logs --follow',
    ];
    for (const line of summary) expect(r.stdout).toContain(line);
    // Each step says how long it took; the summary, the total.
    expect(r.stderr.match(/^ {2}✓ .*\((\d+(\.\d)?s|\d+m \d\ds)\)$/gm)).toHaveLength(8);
    expect(r.stdout).toMatch(/^Onboarding took (\d+(\.\d)?s|\d+m \d\ds)\.$/m);
    // Progress is on stderr, one [n/8] line per step in order; the summary alone is on stdout.
    const steps = r.stderr.match(/^\[(\d)\/8\] .+$/gm) ?? [];
    expect(steps.map((l) => l.slice(0, 5))).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `[${i}/8]`),
    );
    expect(r.stdout).not.toContain('[1/8]');
    const reg = JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), 'utf8'));
    expect(reg.defaultSandbox).toBe('e2e-one');
    expect(reg.sandboxes['e2e-one']).toMatchObject({
      agent: 'openclaw',
      provider: 'build',
      model: 'test-model',
      policyTier: 'balanced',
    });
    expect(reg.sandboxes['e2e-one'].presets).toEqual(
      expect.arrayContaining(['npm', 'pypi', 'huggingface', 'brew', 'brave']),
    );
    // The next five minutes match the real state: the URL is the forward OpenShell lists, the
    // policy line names exactly the registered presets, the log file named exists, and the
    // dashboard token is nowhere in the output.
    const forwards = await w.sim.run(['forward', 'list']);
    const url = /1\. Open the dashboard: http:\/\/127\.0\.0\.1:(\d+)\//.exec(r.stdout);
    expect(url, r.stdout).not.toBeNull();
    expect(forwards.stdout).toMatch(
      new RegExp(`\\b${url![1]}\\b[\\s\\S]*e2e-one|e2e-one[\\s\\S]*\\b${url![1]}\\b`),
    );
    expect(Number(url![1])).toBe(reg.sandboxes['e2e-one'].dashboardPort);
    expect(r.stdout).toContain(
      `The policy allows inference.local plus the hosts of: ${reg.sandboxes['e2e-one'].presets.join(', ')}.`,
    );
    const logFile = /this run: (\S+\.jsonl)/.exec(r.stdout)?.[1];
    expect(logFile && existsSync(logFile), r.stdout).toBe(true);
    // The image build's log is in that file, not on the terminal.
    expect(r.stderr).not.toMatch(/Step \d+\/\d+ :/);
    // (The content-addressed image may exist from an earlier run on this host: then no build ran.)
    if (/✓ built nemoclaw-sandbox/.test(r.stderr))
      expect(readFileSync(logFile!, 'utf8')).toMatch(/"line":"Step 1\/\d+ : /);
    else expect(r.stderr).toMatch(/✓ nemoclaw-sandbox-\S+ \(cached\)/);
    expect(r.stdout).not.toMatch(/#token=|auth\.token":/);
    // The sandbox is a real container, running.
    const cs = await docker().listContainers({
      filters: JSON.stringify({
        label: [`openshell.sim/state=${w.sim.stateDir}`, 'openshell.ai/sandbox-name=e2e-one'],
      }),
    });
    expect(cs).toHaveLength(1);
    // The registry entry came after OpenShell reported Ready: the session is gone, nothing left half-done.
    expect(existsSync(join(w.env.NEMOCLAW_HOME!, 'onboard-session.json'))).toBe(false);
    // The provider key travelled only in the environment.
    const calls = w.sim.invocations();
    const create = calls.find((c) => c.command === 'provider create');
    expect(create?.argv).toContain('--credential');
    expect(JSON.stringify(calls.map((c) => c.argv))).not.toContain(w.env.NVIDIA_API_KEY);
  }, 240_000);

  it('a second run reuses everything and creates nothing new', async () => {
    const before = w.sim.invocations().length;
    const r = await w.cli(['onboard', '--name', 'e2e-one']);
    expect(r.code).toBe(0);
    const calls = w.sim.invocations().slice(before);
    expect(calls.filter((c) => c.command === 'sandbox create')).toHaveLength(0);
    expect(calls.filter((c) => c.command === 'provider create')).toHaveLength(0);
    expect(calls.filter((c) => c.command === 'forward start')).toHaveLength(0);
    expect(r.stderr).toContain('(cached)');
  }, 240_000);

  it('a dashboard port another sandbox forwards stops onboarding at preflight, naming it', async () => {
    const before = w.sim.invocations().length;
    const r = await w.cli(['onboard', '--name', 'e2e-two']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Onboarding failed at step 1/8 (Preflight checks)');
    expect(r.stderr).toContain(
      `dashboard port ${w.env.NEMOCLAW_DASHBOARD_PORT} is already forwarded to sandbox e2e-one`,
    );
    expect(r.stderr).toContain('--dashboard-port');
    const calls = w.sim.invocations().slice(before);
    expect(calls.filter((c) => c.command === 'sandbox create')).toHaveLength(0);
  });

  it('re-onboarding with another dashboard port moves the forward instead of adding one', async () => {
    const port = await freePort();
    const r = await w.cli(['onboard', '--name', 'e2e-one', '--dashboard-port', String(port)]);
    expect(r.code, r.stderr).toBe(0);
    const list = await w.sim.run(['forward', 'list', '-g', 'nemoclaw']);
    const mine = list.stdout.split('\n').filter((l) => /\be2e-one\b/.test(l));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toContain(String(port));
    const reg = JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), 'utf8'));
    expect(reg.sandboxes['e2e-one'].dashboardPort).toBe(port);
  });

  it('rejects invalid inputs all at once, exit 2, before any step', async () => {
    const before = w.sim.invocations().length;
    const r = await w.cli(['onboard', '--name', 'Bad_Name', '--policy-tier', 'wide'], {
      env: { NEMOCLAW_POLICY_PRESETS: 'nope' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--name / NEMOCLAW_SANDBOX_NAME');
    expect(r.stderr).toContain('--policy-tier / NEMOCLAW_POLICY_TIER');
    expect(r.stderr).toContain('unknown preset(s): nope');
    expect(w.sim.invocations().length).toBe(before);
  });

  it('refuses a name OpenShell would refuse (20 characters) with exit 2 before any step', async () => {
    const before = w.sim.invocations().length;
    const r = await w.cli(['onboard', '--name', 'twenty-characters-xx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('OpenShell allows at most 19');
    expect(w.sim.invocations().length).toBe(before);
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    const before = w.sim.invocations().length;
    const r = await w.cli(['onboard', '--name', 'e2e-dry', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Plan: onboard e2e-dry');
    expect(r.stdout).toContain('openshell.sandbox.create e2e-dry');
    expect(w.sim.invocations().length).toBe(before);
    const reg = JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), 'utf8'));
    expect(reg.sandboxes['e2e-dry']).toBeUndefined();
  });

  it('--recreate-sandbox takes a verified snapshot first, then replaces the sandbox', async () => {
    const seed = await simSh(
      w,
      'e2e-one',
      'mkdir -p /sandbox/.openclaw/memory && echo keep-me > /sandbox/.openclaw/memory/m.md',
    );
    expect(seed.code, seed.stderr).toBe(0);
    const r = await w.cli(['onboard', '--name', 'e2e-one', '--recreate-sandbox']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/snapshot \S+ kept/);
    const list = JSON.parse((await w.cli(['e2e-one', 'snapshot', 'list', '--json'])).stdout);
    expect(JSON.stringify(list)).toContain('pre-recreate-');
    // The old memory is in the snapshot, and the new sandbox starts empty.
    const fresh = await simExec(w, 'e2e-one', ['test', '-e', '/sandbox/.openclaw/memory/m.md']);
    expect(fresh.code).toBe(1);
    const restore = await w.cli(['e2e-one', 'snapshot', 'restore', 'latest', '--yes']);
    expect(restore.code, restore.stderr).toBe(0);
    const back = await simExec(w, 'e2e-one', ['cat', '/sandbox/.openclaw/memory/m.md']);
    expect(back.stdout).toBe('keep-me\n');
  }, 240_000);

  it('without a chosen dashboard port, each new sandbox gets its own free one', async () => {
    const auto = { env: { NEMOCLAW_DASHBOARD_PORT: '' } };
    const a = await w.cli(['onboard', '--name', 'auto-a'], auto);
    expect(a.code, a.stderr).toBe(0);
    const b = await w.cli(['onboard', '--name', 'auto-b'], auto);
    expect(b.code, b.stderr).toBe(0);
    const reg = JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), 'utf8'));
    const pa = reg.sandboxes['auto-a'].dashboardPort;
    const pb = reg.sandboxes['auto-b'].dashboardPort;
    expect(pb).not.toBe(pa);
    expect(b.stderr).toMatch(/is taken; using \d+/);
    // Re-onboarding a sandbox keeps its own port.
    const again = await w.cli(['onboard', '--name', 'auto-a'], auto);
    expect(again.code, again.stderr).toBe(0);
    expect(
      JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), 'utf8')).sandboxes[
        'auto-a'
      ].dashboardPort,
    ).toBe(pa);
  }, 240_000);
});
