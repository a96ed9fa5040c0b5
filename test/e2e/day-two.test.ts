/**
 * Day-two operations end to end: the built CLI against the simulator with real sandbox containers.
 * One world for the file (onboarding costs seconds); tests run in order and each leaves the world
 * healthy for the next, except the last ones, which destroy.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, skipWithoutDocker } from '../helpers/docker.ts';
import { freePort } from '../helpers/net.ts';
import { CLI, type World } from '../helpers/e2e.ts';
import {
  onboardedWorld,
  simSh,
  tearDownWorld,
  writeInterruptedRebuild,
} from '../helpers/sandbox-flow.ts';

const skip = await skipWithoutDocker('day-two operations end to end');

const A = 'dt-alpha';
const B = 'dt-beta';

describe.skipIf(skip)('day-two operations', () => {
  let w: World;
  const registry = () =>
    JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), 'utf8'));
  const sandboxContainer = async (name: string) => {
    const cs = await docker().listContainers({
      all: true,
      filters: JSON.stringify({
        label: [`openshell.sim/state=${w.sim.stateDir}`, `openshell.ai/sandbox-name=${name}`],
      }),
    });
    return cs[0];
  };
  const json = (s: string) => JSON.parse(s);

  beforeAll(async () => {
    // Like the real CLI: server-side commands fail while the gateway does not answer.
    const world = { simEnv: { OPENSHELL_SIM_REQUIRE_GATEWAY: '1' } };
    ({ w } = await onboardedWorld(A, { world }));
  }, 240_000);
  afterAll(() => tearDownWorld(w));

  it('list joins the registry with OpenShell: phase, default, gateway', async () => {
    const t = await w.cli(['list']);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain(`  ${A} *`);
    expect(t.stdout).toContain('phase: Ready');
    expect(t.stdout).toMatch(/gateway nemoclaw: up/);
    const j = await w.cli(['list', '--json']);
    const doc = json(j.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.gateways[0]).toMatchObject({ name: 'nemoclaw', up: true });
    expect(doc.sandboxes[0]).toMatchObject({ name: A, isDefault: true, phase: 'Ready' });
  });

  it('global status reports the gateway and each phase', async () => {
    const r = await w.cli(['status', '--json']);
    expect(r.code).toBe(0);
    const doc = json(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, healthy: true });
    expect(doc.gateways[0].state).toBe('ok');
    expect(doc.gatewayContainer.status).toBe('running');
    expect(doc.sandboxes[0]).toMatchObject({ name: A, phase: 'Ready', state: 'ok' });
  });

  it('<name> status verifies every part, in text and JSON', async () => {
    const r = await w.cli([A, 'status', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = json(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, sandbox: A, healthy: true, isDefault: true });
    for (const k of [
      'gateway',
      'sandbox',
      'container',
      'gpu',
      'inference',
      'policy',
      'blueprint',
      'snapshot',
      'rebuild',
    ]) {
      expect(['ok', 'warn', 'fail', 'unreachable']).toContain(doc.parts[k].state);
    }
    expect(doc.parts.sandbox).toMatchObject({ state: 'ok', phase: 'Ready' });
    expect(doc.parts.container).toMatchObject({ state: 'ok', status: 'running', restarts: 0 });
    expect(doc.parts.container.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(doc.parts.container.memoryBytes).toBeGreaterThan(0);
    expect(doc.parts.gpu).toMatchObject({ state: 'ok', result: 'not-requested' });
    expect(doc.parts.inference).toMatchObject({
      state: 'ok',
      provider: 'nvidia-prod',
      model: 'test-model',
    });
    expect(doc.parts.blueprint).toMatchObject({ state: 'ok', verified: true });
    expect(doc.parts.snapshot).toMatchObject({ state: 'ok', last: null });
    expect(doc.parts.rebuild).toMatchObject({ state: 'ok', interrupted: false });
    const t = await w.cli([A, 'status']);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain(`Sandbox ${A} (OpenClaw, default)`);
    expect(t.stdout).toMatch(/✓ container +running for/);
  });

  it('status warns when another onboarding changed the route, and shows the last snapshot and an interrupted rebuild', async () => {
    const set = await w.sim.run([
      'inference',
      'set',
      '-g',
      'nemoclaw',
      '--workspace', // the route of A's own workspace
      registry().sandboxes[A].workspace,
      '--provider',
      'nvidia-prod',
      '--model',
      'someone-elses-model',
      '--no-verify',
    ]);
    expect(set.code).toBe(0);
    const home = w.env.NEMOCLAW_HOME!;
    mkdirSync(join(home, 'snapshots', A), { recursive: true });
    writeFileSync(
      join(home, 'snapshots', A, 'abc.manifest.json'),
      JSON.stringify({ id: 'abc', name: 'before-upgrade', createdAt: '2026-01-02T03:04:05.000Z' }),
    );
    writeInterruptedRebuild(home, A);
    try {
      const r = await w.cli([A, 'status', '--json']);
      const doc = json(r.stdout);
      expect(doc.parts.inference.state).toBe('warn');
      expect(doc.parts.inference.summary).toContain(
        'route now serves someone-elses-model via nvidia-prod (changed by another onboarding)',
      );
      expect(doc.parts.snapshot.last).toMatchObject({ name: 'before-upgrade' });
      expect(doc.parts.rebuild).toMatchObject({
        state: 'fail',
        step: 'restore (Restoring the agent state)',
      });
      expect(r.code).toBe(1);
      const t = await w.cli([A, 'status']);
      expect(t.stdout).toContain(
        `interrupted rebuild at step restore (Restoring the agent state); finish with: nemoclaw ${A} rebuild --resume`,
      );
    } finally {
      const { rmSync } = await import('node:fs');
      rmSync(join(home, 'journal', `${A}.json`));
      const back = await w.cli([
        'inference',
        'set',
        '--provider',
        'build',
        '--model',
        'test-model',
      ]);
      expect(back.code).toBe(0);
    }
    const again = await w.cli([A, 'status', '--json']);
    expect(json(again.stdout).parts.inference.state).toBe('ok');
  });

  it('exec returns the remote exit code and output', async () => {
    const r = await w.cli([
      A,
      'exec',
      '--',
      'sh',
      '-c',
      'echo out-line; echo err-line >&2; exit 7',
    ]);
    expect(r.code).toBe(7);
    expect(r.stdout).toContain('out-line');
    expect(r.stderr).toContain('err-line');
    const ok = await w.cli([A, 'exec', '--', 'true']);
    expect(ok.code).toBe(0);
    const none = await w.cli([A, 'exec']);
    expect(none.code).toBe(2);
  });

  it('logs prints gateway and sandbox lines; --follow ends cleanly on Ctrl-C', async () => {
    const r = await w.cli([A, 'logs', '--tail', '50']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[gateway\]/);
    expect(r.stdout).toMatch(/\[sandbox\]/);
    expect((await w.cli([A, 'logs', '--tail', 'x'])).code).toBe(2);
    expect((await w.cli([A, 'logs', '--since', 'yesterday'])).code).toBe(2);

    const child = spawn(process.execPath, [CLI, A, 'logs', '--follow'], {
      env: w.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    await new Promise<void>((res) => {
      const t = setInterval(() => {
        if (out.includes('[gateway]')) {
          clearInterval(t);
          res();
        }
      }, 50);
    });
    const started = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('connect restarts a missing dashboard forward, then connects', async () => {
    const port = Number(w.env.NEMOCLAW_DASHBOARD_PORT);
    await w.sim.run(['forward', 'stop', String(port), A]);
    const r = await w.cli([A, 'connect'], { input: 'echo connected-ok\nexit\n' });
    expect(r.stderr).toMatch(/Dashboard: http:\/\/127.0.0.1:\d+\/ \(forward started\)/);
    expect(r.stdout).toContain('connected-ok');
    expect(r.code).toBe(0);
    const fl = await w.sim.run(['forward', 'list']);
    expect(fl.stdout).toMatch(new RegExp(`${A}\\s+\\S+\\s+${port}`));
  });

  it('skill install uploads a valid skill and refuses links, escapes and a missing name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-skill-'));
    const good = join(dir, 'weather');
    mkdirSync(join(good, 'scripts'), { recursive: true });
    writeFileSync(
      join(good, 'SKILL.md'),
      '---\nname: weather\ndescription: test\n---\n# Weather\n',
    );
    writeFileSync(join(good, 'scripts', 'run.sh'), '#!/bin/sh\necho sunny\n', { mode: 0o755 });
    const r = await w.cli([A, 'skill', 'install', good]);
    expect(r.stderr + r.stdout).not.toContain('Error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Installed skill weather');
    const cat = await w.cli([
      A,
      'exec',
      '--',
      'cat',
      '/sandbox/.openclaw/skills/weather/scripts/run.sh',
    ]);
    expect(cat.stdout).toContain('echo sunny');
    const again = await w.cli([A, 'skill', 'install', good]);
    expect(again.stdout).toContain('Replaced skill weather');

    const linked = join(dir, 'linked');
    mkdirSync(linked);
    writeFileSync(join(linked, 'SKILL.md'), '---\nname: linked\n---\n');
    symlinkSync('/etc/passwd', join(linked, 'passwd'));
    const l = await w.cli([A, 'skill', 'install', linked]);
    expect(l.code).toBe(2);
    expect(l.stderr).toContain('passwd: is a symbolic link');

    const nameless = join(dir, 'nameless');
    mkdirSync(nameless);
    writeFileSync(join(nameless, 'SKILL.md'), '---\ndescription: no name\n---\n');
    const n = await w.cli([A, 'skill', 'install', nameless]);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('no `name`');
    const missing = await w.cli([A, 'skill', 'install', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
  });

  it('channels: add stores the token as a provider (env only) and applies the preset; stop/start/remove', async () => {
    const token = 'tg-canary-1234567890abcdef';
    const before = w.sim.invocations().length;
    const add = await w.cli([A, 'channels', 'add', 'telegram'], {
      env: { TELEGRAM_BOT_TOKEN: token },
    });
    expect(add.stderr + add.stdout).not.toContain('Error');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain(`nemoclaw ${A} rebuild`);
    const calls = w.sim.invocations().slice(before);
    expect(JSON.stringify(calls.map((c) => c.argv))).not.toContain(token);
    const create = calls.find((c) => c.command === 'provider create');
    expect(create?.argv).toEqual(
      expect.arrayContaining(['telegram-bot', 'generic', 'TELEGRAM_BOT_TOKEN']),
    );
    expect(add.stdout + add.stderr).not.toContain(token);
    expect(registry().sandboxes[A].channels).toEqual(['telegram']);
    expect(registry().sandboxes[A].presets).toContain('telegram');

    const list = await w.cli([A, 'channels', 'list', '--json']);
    const rows = json(list.stdout).channels;
    // The agent's config names the channel only after a rebuild.
    expect(rows.find((c: { name: string }) => c.name === 'telegram')).toMatchObject({
      state: 'pending-rebuild',
      providerPresent: true,
    });
    expect(rows.find((c: { name: string }) => c.name === 'slack').state).toBe('not-configured');

    const stop = await w.cli([A, 'channels', 'stop', 'telegram']);
    expect(stop.code).toBe(0);
    expect(registry().sandboxes[A].presets).not.toContain('telegram');
    const policy = await w.sim.run(['policy', 'get', A, '--full', '-g', 'nemoclaw']);
    expect(policy.stdout).not.toContain('telegram_bot');
    expect((await w.cli([A, 'channels', 'list'])).stdout).toMatch(/telegram +stopped/);
    const start = await w.cli([A, 'channels', 'start', 'telegram']);
    expect(start.code).toBe(0);
    expect(registry().sandboxes[A].presets).toContain('telegram');

    const remove = await w.cli([A, 'channels', 'remove', 'telegram']);
    expect(remove.code).toBe(0);
    expect(registry().sandboxes[A].channels).toEqual([]);
    const provs = await w.sim.run([
      'provider',
      'list',
      '--names',
      '-g',
      'nemoclaw',
      '--workspace',
      registry().sandboxes[A].workspace,
    ]);
    expect(provs.stdout).not.toContain('telegram-bot');

    const noToken = await w.cli([A, 'channels', 'add', 'discord']);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('DISCORD_BOT_TOKEN');
    expect((await w.cli([A, 'channels', 'add', 'irc'])).code).toBe(2);
  });

  it('credentials list shows key names only; reset updates in place from env', async () => {
    const l = await w.cli(['credentials', 'list', '--json']);
    expect(l.code).toBe(0);
    const doc = json(l.stdout);
    expect(doc.providers.find((p: { name: string }) => p.name === 'nvidia-prod')).toMatchObject({
      credentialKeys: ['NVIDIA_API_KEY'],
    });
    expect(l.stdout).not.toContain(w.env.NVIDIA_API_KEY);
    const before = w.sim.invocations().length;
    const r = await w.cli(['credentials', 'reset', 'build']);
    expect(r.code).toBe(0);
    const upd = w.sim
      .invocations()
      .slice(before)
      .find((c) => c.command === 'provider update');
    expect(upd?.argv).toEqual(
      expect.arrayContaining(['nvidia-prod', '--credential', 'NVIDIA_API_KEY']),
    );
    const missing = await w.cli(['credentials', 'reset', 'build'], { env: { NVIDIA_API_KEY: '' } });
    expect(missing.code).toBe(2);
    expect((await w.cli(['credentials', 'reset', 'nope'])).code).toBe(1);
  });

  it('a killed sandbox is Error: recover and start refuse to start it, as OpenShell does, and the offered way back loses nothing of its snapshot', async () => {
    const sh = (cmd: string) => simSh(w, A, cmd);
    const note = '/sandbox/.openclaw-data/workspace/recover-note.txt';
    expect((await sh(`mkdir -p $(dirname ${note}) && echo kept > ${note}`)).code).toBe(0);
    const snap = await w.cli([A, 'snapshot', 'create', '--name', 'before-crash', '--json']);
    expect(snap.code, snap.stderr).toBe(0);
    const snapId = json(snap.stdout).id as string;
    expect(snapId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);

    const c = await sandboxContainer(A);
    await docker().getContainer(c!.Id).kill();
    const s = await w.cli([A, 'status', '--json']);
    expect(s.code).toBe(1);
    const doc = json(s.stdout);
    expect(doc.healthy).toBe(false);
    expect(doc.parts.container.state).toBe('fail');
    expect(doc.parts.sandbox.state).toBe('fail');

    // compute/mod.rs start_sandbox (v0.0.111) refuses Error; the simulator does too.
    const direct = await w.sim.run([
      'sandbox',
      'start',
      A,
      '-g',
      'nemoclaw',
      '--workspace',
      registry().sandboxes[A].workspace,
    ]);
    expect(direct.code).not.toBe(0);
    expect(direct.stderr).toContain('sandbox must be Stopped to start (current phase: Error)');

    const before = w.sim.invocations().length;
    const r = await w.cli([A, 'recover']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Sandbox ${A} is in phase Error`);
    expect(r.stderr).toContain('OpenShell does not start a failed sandbox');
    expect(r.stderr).toContain(`nemoclaw ${A} destroy --yes`);
    expect(r.stderr).toContain(`nemoclaw ${A} snapshot restore ${snapId}`);
    const dry = await w.cli([A, 'recover', '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain(`Sandbox ${A} is in phase Error`);
    const st = await w.cli([A, 'start']);
    expect(st.code).toBe(1);
    expect(st.stderr).toContain('OpenShell does not start a failed sandbox');
    const all = await w.cli(['recover']);
    expect(all.code).toBe(1);
    expect(all.stderr).toContain(`Could not recover: ${A}`);
    const tried = w.sim
      .invocations()
      .slice(before)
      .map((i) => i.command);
    expect(tried).not.toContain('sandbox start');
    expect(tried).not.toContain('sandbox delete');
    expect(registry().sandboxes[A]).toBeDefined();

    // The way back it offers works and restores the snapshot's state.
    const d = await w.cli([A, 'destroy', '--yes']);
    expect(d.code, d.stderr).toBe(0);
    const o = await w.cli(['onboard', '--name', A]);
    expect(o.code, o.stderr).toBe(0);
    expect((await sh(`cat ${note}`)).code).not.toBe(0);
    const back = await w.cli([A, 'snapshot', 'restore', snapId, '--yes']);
    expect(back.code, back.stderr).toBe(0);
    expect((await sh(`cat ${note}`)).stdout.trim()).toBe('kept');
    const after = await w.cli([A, 'status', '--json']);
    expect(json(after.stdout).parts.sandbox.state).toBe('ok');
    expect(after.code).toBe(0);
    const again = await w.cli([A, 'recover']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to recover');
  }, 240_000);

  it('global recover (the boot-time command) starts every registered sandbox that is Stopped', async () => {
    // Stopped behind nemoclaw's back (its desired state is still running): OpenShell starts it.
    const ws = registry().sandboxes[A].workspace;
    const stop = await w.sim.run(['sandbox', 'stop', A, '-g', 'nemoclaw', '--workspace', ws]);
    expect(stop.code, stop.stderr).toBe(0);
    const r = await w.cli(['recover']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`== ${A}`);
    expect(r.stdout).toContain('sandbox started');
    const after = await w.cli([A, 'status', '--json']);
    expect(json(after.stdout).parts.sandbox.state).toBe('ok');
  });

  it('with the gateway down: status and list exit 1 and say so; recover restarts it', async () => {
    await docker().getContainer(w.gatewayContainer).stop({ t: 1 });
    const g = await w.cli(['status']);
    expect(g.code).toBe(1);
    expect(g.stdout).toMatch(/gateway nemoclaw: down \[disconnected\]/);
    expect(g.stdout).toMatch(/container \S+: exited/);
    const l = await w.cli(['list', '--json']);
    expect(l.code).toBe(1);
    expect(json(l.stdout).sandboxes[0]).toMatchObject({ phase: null, phaseKnown: false });
    const s = await w.cli([A, 'status', '--json']);
    expect(s.code).toBe(1);
    const doc = json(s.stdout);
    expect(doc.parts.gateway.state).toBe('unreachable');
    expect(doc.parts.sandbox.state).toBe('unreachable');
    expect(doc.parts.inference.state).toBe('unreachable');
    const d = await w.cli([A, 'destroy', '--yes']);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('--force');

    const r = await w.cli([A, 'recover']);
    expect(r.stderr + r.stdout).not.toContain('Error:');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('gateway brought back');
    const ok = await w.cli(['status']);
    expect(ok.code).toBe(0);
  });

  it('use, routing and "did you mean" for names and verbs', async () => {
    const b = await w.cli(['onboard', '--name', B], {
      env: { NEMOCLAW_DASHBOARD_PORT: String(await freePort()) },
    });
    expect(b.stderr).not.toContain('Error:');
    expect(b.code).toBe(0);
    expect(registry().defaultSandbox).toBe(A);
    expect((await w.cli(['use', B])).code).toBe(0);
    expect(registry().defaultSandbox).toBe(B);
    const typo = await w.cli(['use', 'dt-bet']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(`nemoclaw use ${B}`);
    const name = await w.cli(['dt-alpah', 'status']);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain(`Did you mean the sandbox \`${A}\``);
    const verb = await w.cli([A, 'stauts']);
    expect(verb.code).toBe(2);
    expect(verb.stderr).toMatch(/Did you mean status/i);
  }, 120_000);

  it('one consumer per messaging token: a second sandbox is refused, doctor flags a shared one, the token never reaches disk', async () => {
    const token = 'tg-shared-canary-0123456789abcdef';
    const a = await w.cli([A, 'channels', 'add', 'telegram'], {
      env: { TELEGRAM_BOT_TOKEN: token },
    });
    expect(a.code, a.stderr).toBe(0);
    const fpA = registry().sandboxes[A].channelTokens.telegram;
    expect(fpA).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    const before = w.sim.invocations().length;
    const b = await w.cli([B, 'channels', 'add', 'telegram'], {
      env: { TELEGRAM_BOT_TOKEN: token },
    });
    expect(b.code).toBe(2);
    expect(b.stderr).toContain(`already used by sandbox ${A} (telegram)`);
    expect(b.stderr).toContain(`nemoclaw ${A} channels remove telegram`);
    // Refused before anything changed: no provider call, no registry change.
    expect(w.sim.invocations().slice(before)).toEqual([]);
    expect(registry().sandboxes[B].channels).toEqual([]);
    // The same token for another channel kind is the same consumer too.
    const d = await w.cli([B, 'channels', 'add', 'discord'], {
      env: { DISCORD_BOT_TOKEN: token },
    });
    expect(d.code).toBe(2);
    expect(d.stderr).toContain(`already used by sandbox ${A} (telegram)`);

    // A registry edited by hand (or written before this check) is what doctor catches.
    const reg = registry();
    reg.sandboxes[B].channels = ['telegram'];
    reg.sandboxes[B].channelTokens = { telegram: fpA };
    writeFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), JSON.stringify(reg, null, 2));
    const doc = json((await w.cli(['doctor', '--json'])).stdout);
    const shared = doc.checks.find((c: { id: string }) => c.id === 'channels.shared.telegram');
    expect(shared).toMatchObject({ status: 'fail' });
    expect(shared.detail).toContain(`${A} and ${B}`);
    delete reg.sandboxes[B].channelTokens;
    reg.sandboxes[B].channels = [];
    writeFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), JSON.stringify(reg, null, 2));
    const clean = json((await w.cli(['doctor', '--json'])).stdout);
    expect(clean.checks.map((c: { id: string }) => c.id)).not.toContain('channels.shared.telegram');

    // Nothing under NEMOCLAW_HOME holds the token; the fingerprint key is private.
    const { spawnSync } = await import('node:child_process');
    const grep = spawnSync('grep', ['-rl', token, w.env.NEMOCLAW_HOME!], { encoding: 'utf8' });
    expect(grep.stdout).toBe('');
    expect(grep.status).toBe(1);
    const { statSync } = await import('node:fs');
    expect(statSync(join(w.env.NEMOCLAW_HOME!, 'token-fingerprint.key')).mode & 0o777).toBe(0o600);

    // Removing the channel frees the token for another sandbox.
    expect((await w.cli([A, 'channels', 'remove', 'telegram'])).code).toBe(0);
    expect(registry().sandboxes[A].channelTokens?.telegram).toBeUndefined();
  });

  it('destroy asks (exit 2 without a terminal), plans, removes the sandbox’s own image, keeps the gateway', async () => {
    const refuse = await w.cli([B, 'destroy'], { env: { NEMOCLAW_NON_INTERACTIVE: '' } });
    expect(refuse.code).toBe(2);
    expect(refuse.stderr).toContain('--yes');
    const dry = await w.cli([B, 'destroy', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('openshell.sandbox.delete dt-beta');
    // Each sandbox's image carries its own agent config and dashboard token: no other sandbox uses it.
    expect(dry.stdout).toContain('docker.image.remove');
    const image = registry().sandboxes[B].image;
    const r = await w.cli([B, 'destroy', '--yes']);
    expect(r.code).toBe(0);
    expect(registry().sandboxes[B]).toBeUndefined();
    expect(registry().defaultSandbox).toBe(A);
    expect(await sandboxContainer(B)).toBeUndefined();
    await expect(docker().getImage(image).inspect()).rejects.toThrow();
    const gone = await w.cli([B, 'status']);
    expect(gone.code).toBe(2);
  });

  it('destroy --force works with the gateway down; snapshots and the gateway survive', async () => {
    await docker().getContainer(w.gatewayContainer).stop({ t: 1 });
    const r = await w.cli([A, 'destroy', '--yes', '--force']);
    expect(r.stderr).toContain('does not answer');
    expect(r.code).toBe(0);
    expect(registry().sandboxes[A]).toBeUndefined();
    expect(registry().defaultSandbox).toBeNull();
    expect(await sandboxContainer(A)).toBeUndefined();
    const snap = join(w.env.NEMOCLAW_HOME!, 'snapshots', A, 'abc.manifest.json');
    expect(readFileSync(snap, 'utf8')).toContain('before-upgrade');
    // The last sandbox's destroy keeps the gateway container and its volume.
    await expect(docker().getContainer(w.gatewayContainer).inspect()).resolves.toBeTruthy();
    await expect(docker().getVolume(`${w.gatewayContainer}-state`).inspect()).resolves.toBeTruthy();
    const empty = await w.cli(['list']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('No sandboxes registered');
  });
});
