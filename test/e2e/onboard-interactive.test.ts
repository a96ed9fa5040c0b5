/**
 * Interactive onboarding in a real terminal (tmux): the built CLI with a TTY, driven by keys, read
 * from the screen. Every wizard prompt is answered by hand; the key is typed into a password
 * prompt and must never show on the screen.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutDocker } from '../helpers/docker.ts';
import {
  CLI,
  buildStandinImages,
  cleanupImages,
  createWorld,
  type Images,
  type World,
} from '../helpers/e2e.ts';
import { GOOD_KEY } from '../helpers/inference-server.ts';
import { freePort } from '../helpers/net.ts';
import { startTmux, tmuxAvailable, type TmuxSession } from '../helpers/tmux.ts';

const skip =
  (await skipWithoutDocker('interactive onboarding')) ||
  !(await tmuxAvailable().then((ok) => {
    if (!ok) console.warn('SKIPPED interactive onboarding: tmux is not installed');
    return ok;
  }));

/** The world's environment minus every answer, so the wizard asks each question. */
function interactiveEnv(w: World, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...w.env, TERM: 'xterm-256color' };
  for (const k of [
    'NEMOCLAW_NON_INTERACTIVE',
    'NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE',
    'NEMOCLAW_PROVIDER',
    'NEMOCLAW_MODEL',
    'NEMOCLAW_SANDBOX_NAME',
    'NEMOCLAW_POLICY_TIER',
    'NEMOCLAW_POLICY_PRESETS',
    'NEMOCLAW_AGENT',
    'NVIDIA_API_KEY',
    'CI',
  ])
    delete env[k];
  return { ...env, ...extra };
}

/**
 * Ends an onboard still running from a failed case (found by the PID in its onboarding lock), so
 * that it cannot hold the lock, or a prompt, into the next case. SIGTERM first (its interrupt
 * handler releases the lock), SIGKILL if it is still there; waits until it is gone.
 */
async function stopLeftoverOnboard(w: World): Promise<void> {
  let pid: number;
  try {
    pid = Number(JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'onboard.lock'), 'utf8')).pid);
  } catch {
    return; // no lock: nothing is running
  }
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !alive()) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
  if (alive()) process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
}

function registry(w: World): {
  sandboxes: Record<string, { agent: string; policyTier: string; presets: string[] }>;
} {
  return JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), 'utf8'));
}

describe.skipIf(skip)('interactive onboarding in a real terminal', () => {
  let images: Images;
  let w: World;
  let term: TmuxSession | undefined;
  beforeAll(async () => {
    images = await buildStandinImages();
    w = await createWorld(images);
  });
  afterEach(async () => {
    await term?.kill();
    term = undefined;
    // Closing the terminal does not reliably end an onboard of a failed case (it holds the
    // onboarding lock); end it, or the next case fails on the lock instead of its own merits.
    await stopLeftoverOnboard(w);
    // A failed case must not leave the next one a "resume it?" question.
    rmSync(join(w.env.NEMOCLAW_HOME!, 'onboard-session.json'), { force: true });
  });
  afterAll(async () => {
    await w?.cleanup();
    await cleanupImages();
  });

  it('asks every question, hides the key, and onboards', async () => {
    const key = `nvapi-interactive-${Date.now()}`;
    w.inference.acceptKey(key);
    // A GPU on PATH (a stand-in nvidia-smi) so that the wizard asks about passing it through.
    const bin = mkdtempSync(join(tmpdir(), 'nc-fake-gpu-'));
    writeFileSync(join(bin, 'nvidia-smi'), '#!/bin/sh\necho "NVIDIA A100-SXM4-40GB, 40960"\n', {
      mode: 0o755,
    });
    term = await startTmux([process.execPath, CLI, 'onboard'], {
      env: interactiveEnv(w, { PATH: `${bin}:${w.env.PATH}` }),
      prefix: 'nc-happy',
    });
    // Third-party notice first: nothing runs before it is accepted.
    await term.waitFor('Do you accept and want to continue?');
    expect(await term.capture()).toContain('third-party software');
    await term.type('y');
    // Agent: OpenClaw is the default; pick Hermes with the arrow key.
    await term.waitFor('Agent');
    await term.sendKeys(['Down', 'Enter']);
    // Provider: the default (NVIDIA Endpoints).
    await term.waitFor('Inference provider');
    expect(await term.capture()).toContain('NVIDIA Endpoints');
    await term.sendKeys('Enter');
    // The key, in a password prompt: masked while typed, never echoed.
    await term.waitFor('API key (NVIDIA_API_KEY)');
    await term.sendKeys(key, { literal: true });
    await term.waitFor('*****');
    expect(await term.capture()).not.toContain(key);
    await term.sendKeys('Enter');
    // Model: the endpoint lists its models, so the prompt is a list to search; the provider's
    // (the blueprint profile's) default comes first. Typing filters it; Enter takes the match.
    await term.waitFor('Model (type to search)');
    const list = await term.capture();
    expect(list).toContain(
      'nvidia/nemotron-3-super-120b-a12b  (default, not listed by the endpoint)',
    );
    expect(list).toContain('test-model');
    expect(list).toContain('other-model');
    await term.sendKeys('oth', { literal: true });
    await term.waitFor(/oth[\s\S]*other-model/);
    expect((await term.capture()).split('Model (type to search)').at(-1)).not.toContain(
      'test-model',
    );
    await term.sendKeys('Enter');
    // Sandbox name: the default is offered.
    await term.waitFor('Sandbox name');
    expect(await term.capture()).toContain('my-assistant');
    await term.type('tty-happy');
    // Tier: balanced by default; take open (one down).
    await term.waitFor('Network policy tier');
    await term.sendKeys(['Down', 'Enter']);
    // Extra presets: the ones not in the tier (docker is not in open); select the first.
    await term.waitFor('Extra presets');
    await term.sendKeys(['Space', 'Enter']);
    // A GPU was detected: decline it (this host has no toolkit); then the eight steps run.
    await term.waitFor('An NVIDIA GPU was found. Pass it through to the sandbox?');
    await term.type('n');
    await term.waitFor('[8/8]', 90_000);
    expect(await term.exitCode(60_000)).toBe(0);
    rmSync(bin, { recursive: true, force: true });
    const screen = await term.capture();
    expect(screen).toContain('GPU          none');
    // On a terminal each step's spinner line ends as one "✓ [n/8] Title — what it did" line.
    for (let i = 1; i <= 8; i++) expect(screen).toMatch(new RegExp(`✓ \\[${i}/8\\] .+ — `));
    expect(screen).toContain('Sandbox      tty-happy (Hermes)');
    expect(screen).toMatch(/Model +other-model via NVIDIA/);
    expect(screen).not.toContain(key);
    const entry = registry(w).sandboxes['tty-happy'];
    expect(entry).toMatchObject({ agent: 'hermes', policyTier: 'open' });
    expect(entry?.presets).toEqual(expect.arrayContaining(['github', 'docker']));
  }, 150_000);

  let fixPort = 0;
  it('corrects an invalid sandbox name and a rejected key without starting over', async () => {
    const port = await freePort();
    term = await startTmux([process.execPath, CLI, 'onboard'], {
      env: interactiveEnv(w, {
        NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE: '1',
        NEMOCLAW_AGENT: 'openclaw',
        NEMOCLAW_MODEL: 'test-model',
        NEMOCLAW_POLICY_TIER: 'restricted',
        NEMOCLAW_POLICY_PRESETS: '',
        NEMOCLAW_DASHBOARD_PORT: String(port),
      }),
      prefix: 'nc-fix',
    });
    await term.waitFor('Inference provider');
    await term.sendKeys('Enter');
    await term.waitFor('API key (NVIDIA_API_KEY)');
    await term.type('nvapi-wrong-key-123');
    // The key is checked right after it is typed: rejected, the retry menu comes before any other
    // question. Re-enter it (wrong again), then go on anyway to see the provider step's own menu.
    await term.waitFor('What would you like to do?', 30_000);
    const early = await term.capture();
    expect(early).toMatch(/NVIDIA_API_KEY|rejected|401/);
    expect(early).toContain('Re-enter the API key');
    expect(early).not.toContain('Sandbox name');
    await term.sendKeys('Enter');
    await term.waitFor(/API key \(NVIDIA_API_KEY\)[\s\S]*API key \(NVIDIA_API_KEY\)/);
    await term.type('nvapi-still-wrong-456');
    await term.waitFor(/What would you like to do\?[\s\S]*What would you like to do\?/, 30_000);
    await term.sendKeys(['Down', 'Down', 'Enter']); // Continue anyway
    // An invalid name is refused with a suggestion, and the prompt stays.
    await term.waitFor('Sandbox name');
    await term.type('My_Box');
    await term.waitFor('Try: my-box');
    await term.sendKeys('C-u');
    // OpenShell refuses names over 19 characters: refused here, before anything is built.
    await term.type('a-name-of-twenty-four-ch');
    await term.waitFor('it is 24 characters long; OpenShell allows at most 19');
    await term.sendKeys('C-u');
    await term.type('tty-fix');
    // The key fails its real check at the provider step; re-enter it.
    await term.waitFor(/(What would you like to do\?[\s\S]*){3}/, 60_000);
    const menu = await term.capture();
    expect(menu).toContain('Re-enter the API key');
    expect(menu).toContain('Choose another provider');
    expect(menu).toContain('Retry');
    expect(menu).toContain('Quit');
    expect(menu).toMatch(/NVIDIA_API_KEY|rejected|401/);
    await term.sendKeys('Enter'); // re-enter the key is the default after a 401
    await term.waitFor(/(API key \(NVIDIA_API_KEY\)[\s\S]*){3}/);
    await term.type(GOOD_KEY);
    expect(await term.exitCode(90_000)).toBe(0);
    const screen = await term.capture();
    expect(screen).toContain('Sandbox      tty-fix (OpenClaw)');
    expect(screen).not.toContain('nvapi-wrong-key-123');
    expect(screen).not.toContain('nvapi-still-wrong-456');
    expect(registry(w).sandboxes['tty-fix']).toMatchObject({ policyTier: 'restricted' });
    fixPort = port; // only once the sandbox the next case reuses exists
  }, 150_000);

  it('asks to reuse or recreate an existing sandbox, and reuses it', async () => {
    if (!fixPort) return; // needs the sandbox the previous case made
    const before = w.sim.invocations().length;
    term = await startTmux([process.execPath, CLI, 'onboard', '--name', 'tty-fix'], {
      env: interactiveEnv(w, {
        NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE: '1',
        NEMOCLAW_AGENT: 'openclaw',
        NEMOCLAW_PROVIDER: 'build',
        NEMOCLAW_MODEL: 'test-model',
        NVIDIA_API_KEY: GOOD_KEY,
        NEMOCLAW_POLICY_TIER: 'restricted',
        NEMOCLAW_POLICY_PRESETS: '',
        NEMOCLAW_DASHBOARD_PORT: String(fixPort),
      }),
      prefix: 'nc-reuse',
    });
    await term.waitFor('Sandbox tty-fix already exists.', 60_000);
    const menu = await term.capture();
    expect(menu).toContain('Reuse it');
    expect(menu).toContain('Recreate it (takes a snapshot first)');
    await term.sendKeys('Enter');
    expect(await term.exitCode(60_000)).toBe(0);
    expect(await term.capture()).toContain('reusing sandbox tty-fix');
    const calls = w.sim.invocations().slice(before);
    expect(calls.filter((c) => c.command === 'sandbox create')).toHaveLength(0);
    expect(calls.filter((c) => c.command === 'sandbox delete')).toHaveLength(0);
    expect(calls.filter((c) => c.command === 'forward start')).toHaveLength(0);
  }, 120_000);
});
