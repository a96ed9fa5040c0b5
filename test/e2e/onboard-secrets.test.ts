/**
 * The secret canary (issue 6, item 7) and provider validation end to end (item 4). A unique key is
 * onboarded and then searched for everywhere nemoclaw could have put it: every openshell argv, the
 * CLI's output, every file under NEMOCLAW_HOME, the simulator's state, the sandbox container's
 * environment and filesystem, the sandbox image's config and history, the gateway container. Only
 * the child's environment may carry it, and OpenShell's gateway store (the simulator keeps only a
 * fingerprint there).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, skipWithoutDocker } from '../helpers/docker.ts';
import {
  buildStandinImages,
  cleanupImages,
  createWorld,
  type Images,
  type World,
} from '../helpers/e2e.ts';
import { GOOD_KEY, closedPort } from '../helpers/inference-server.ts';
import { freePort } from '../helpers/net.ts';

const skip = await skipWithoutDocker('secret canary');

const CANARY = `nvapi-canary-${randomBytes(12).toString('hex')}`;
/** The forms a careless write could take. */
const FORMS = [CANARY, Buffer.from(CANARY).toString('base64'), encodeURIComponent(CANARY)];

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function leaks(where: string, content: Buffer | string): string[] {
  const text = Buffer.isBuffer(content) ? content.toString('latin1') : content;
  return FORMS.filter((f) => text.includes(f)).map((f) => `${where} (${f.slice(0, 12)}…)`);
}

async function streamToBuffer(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

describe.skipIf(skip)('secrets and provider validation end to end', () => {
  let images: Images;
  let w: World;
  beforeAll(async () => {
    images = await buildStandinImages();
    w = await createWorld(images, { acceptKeys: [CANARY], env: { NVIDIA_API_KEY: CANARY } });
  });
  afterAll(async () => {
    await w?.cleanup();
    await cleanupImages();
  });

  it('the canary key appears nowhere but the child environment', async () => {
    const r = await w.cli(['onboard', '--name', 'canary', '--verbose']);
    expect(r.code, r.stderr).toBe(0);
    // The key really was used: the inference server saw it, and OpenShell got it by env name.
    expect(w.inference.requests.some((q) => q.headers.authorization === `Bearer ${CANARY}`)).toBe(
      true,
    );
    const create = w.sim.invocations().find((c) => c.command === 'provider create');
    expect(create?.secretEnv).toContain('NVIDIA_API_KEY');

    const found: string[] = [];
    found.push(...leaks('stdout', r.stdout), ...leaks('stderr', r.stderr));
    for (const c of w.sim.invocations())
      found.push(...leaks(`argv ${c.argv.join(' ')}`, c.argv.join('\0')));
    const home = w.env.NEMOCLAW_HOME!;
    const homeFiles = filesUnder(home);
    expect(homeFiles.some((f) => f.includes(`${join(home, 'logs')}`))).toBe(true);
    for (const f of homeFiles) found.push(...leaks(f, readFileSync(f)));
    for (const f of filesUnder(w.sim.stateDir))
      if (statSync(f).size < 64 * 1024 * 1024) found.push(...leaks(f, readFileSync(f)));

    const d = docker();
    const [sandbox] = await d.listContainers({
      all: true,
      filters: JSON.stringify({
        label: [`openshell.sim/state=${w.sim.stateDir}`, 'openshell.ai/sandbox-name=canary'],
      }),
    });
    expect(sandbox).toBeDefined();
    const c = d.getContainer(sandbox!.Id);
    const info = await c.inspect();
    found.push(...leaks('sandbox Config.Env', JSON.stringify(info.Config.Env)));
    found.push(...leaks('sandbox inspect', JSON.stringify(info)));
    // Its whole filesystem, as the agent would see it.
    found.push(...leaks('sandbox filesystem', await streamToBuffer(await c.export())));
    // What it sees at run time: the live process environment too.
    const exec = await c.exec({
      Cmd: ['sh', '-c', 'cat /proc/1/environ; env'],
      AttachStdout: true,
      AttachStderr: true,
    });
    const out = await streamToBuffer(await exec.start({ hijack: true, stdin: false }));
    expect(out.length).toBeGreaterThan(0);
    found.push(...leaks('sandbox process env', out));
    // The image it runs: config, labels, build history.
    const image = d.getImage(info.Config.Image);
    found.push(...leaks('image inspect', JSON.stringify(await image.inspect())));
    found.push(...leaks('image history', JSON.stringify(await image.history())));
    // nemoclaw never hands the key to the gateway container either (OpenShell stores it itself).
    const gw = await d.getContainer(w.gatewayContainer).inspect();
    found.push(...leaks('gateway container', JSON.stringify(gw)));

    expect(found).toEqual([]);
  }, 180_000);

  describe('a provider check that fails stops non-interactive onboarding at step 4', () => {
    const fail = async (name: string, env: Record<string, string>) => {
      const r = await w.cli(['onboard', '--name', name], {
        env: { NEMOCLAW_DASHBOARD_PORT: String(await freePort()), ...env },
      });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(
        'Onboarding failed at step 4/8 (Setting up the inference provider)',
      );
      expect(r.stderr).toContain('nemoclaw onboard');
      // Nothing was created for it.
      const calls = w.sim.invocations().filter((c) => c.argv.includes(name));
      expect(calls.filter((c) => c.command === 'sandbox create')).toHaveLength(0);
      return r.stderr;
    };

    it('a rejected key names its variable; --resume with a good key finishes', async () => {
      const stderr = await fail('bad-key', { NVIDIA_API_KEY: 'nvapi-not-a-good-key' });
      expect(stderr).toContain('rejected the API key (HTTP 401)');
      expect(stderr).toContain('set NVIDIA_API_KEY and run: nemoclaw onboard --resume');
      expect(stderr).not.toContain('nvapi-not-a-good-key');
      const r = await w.cli(['onboard', '--resume'], { env: { NVIDIA_API_KEY: GOOD_KEY } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Sandbox      bad-key (OpenClaw)');
    }, 120_000);

    it('an unknown model is named, and --resume --model continues with another', async () => {
      const port = String(await freePort());
      const r = await w.cli(['onboard', '--name', 'bad-model'], {
        env: { NEMOCLAW_DASHBOARD_PORT: port, NEMOCLAW_MODEL: 'no-such-model' },
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('no-such-model');
      expect(r.stderr).toContain('nemoclaw onboard --resume --model <id>');
      // An invalid correction changes nothing.
      const bad = await w.cli(['onboard', '--resume', '--model', 'bad model!'], {
        env: { NEMOCLAW_DASHBOARD_PORT: port },
      });
      expect(bad.code).toBe(2);
      const ok = await w.cli(['onboard', '--resume', '--model', 'test-model'], {
        env: { NEMOCLAW_DASHBOARD_PORT: port, NEMOCLAW_MODEL: 'no-such-model' },
      });
      expect(ok.code, ok.stderr).toBe(0);
      const reg = JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), 'utf8'));
      expect(reg.sandboxes['bad-model'].model).toBe('test-model');
    }, 120_000);

    it('a refused connection names the URL', async () => {
      const url = `http://127.0.0.1:${await closedPort()}/v1`;
      const stderr = await fail('no-server', { NEMOCLAW_ENDPOINT_URL: url });
      expect(stderr).toContain(url.replace('/v1', ''));
      expect(stderr).toMatch(/refused|not reachable|cannot connect/i);
    }, 60_000);
  });
});
