/**
 * Switching providers end to end: the built CLI against the simulator, with the faithful provider
 * servers of test/helpers/provider-servers.ts standing in for OpenAI and Anthropic.
 */
import { readFileSync } from 'node:fs';
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
import { GOOD_KEY, startProviderServer, type ProviderServer } from '../helpers/provider-servers.ts';

const skip = await skipWithoutDocker('inference switching end to end');
const A = 'sw-alpha';

describe.skipIf(skip)('inference set and credentials add', () => {
  let images: Images;
  let w: World;
  let openai: ProviderServer;
  let anthropic: ProviderServer;
  const registry = () =>
    JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), 'utf8'));
  /** `inference set` to gpt-5.4 on the local OpenAI stand-in. */
  const setOpenai = (o: { env: Record<string, string> }) =>
    w.cli(
      [
        'inference',
        'set',
        '--provider',
        'openai',
        '--model',
        'gpt-5.4',
        '--endpoint-url',
        openai.base,
      ],
      o,
    );
  const route = async () => {
    const r = await w.cli(['inference', 'get', '--json']);
    return JSON.parse(r.stdout).route as { provider: string; model: string };
  };

  beforeAll(async () => {
    [images, openai, anthropic] = await Promise.all([
      buildStandinImages(),
      startProviderServer('openai'),
      startProviderServer('anthropic'),
    ]);
    w = await createWorld(images);
    const r = await w.cli(['onboard', '--name', A]);
    if (r.code !== 0) throw new Error(`onboard failed:\n${r.stderr}`);
  }, 240_000);
  afterAll(async () => {
    await w?.cleanup();
    await openai?.close();
    await anthropic?.close();
    await cleanupImages();
  });

  it('refuses a new provider without its key, changing nothing', async () => {
    const before = await route();
    const r = await w.cli(['inference', 'set', '--provider', 'openai', '--model', 'gpt-5.4'], {
      env: { OPENAI_API_KEY: '' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('OPENAI_API_KEY');
    expect(await route()).toMatchObject(before);
  });

  it('refuses a key the provider rejects, saying what to change, and changes nothing', async () => {
    const before = await route();
    const r = await setOpenai({ env: { OPENAI_API_KEY: 'sk-wrong' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rejected the API key/);
    expect(r.stderr).toContain('--no-verify');
    expect(r.stderr).not.toContain('sk-wrong');
    expect(await route()).toMatchObject(before);
    const creds = JSON.parse((await w.cli(['credentials', 'list', '--json'])).stdout);
    expect(creds.providers.map((p: { name: string }) => p.name)).not.toContain('openai-api');
  });

  it('switches to a new provider: registers it, validates one request, names the sandboxes served', async () => {
    const n = openai.requests.length;
    const r = await setOpenai({ env: { OPENAI_API_KEY: GOOD_KEY } });
    expect(r.code, r.stderr).toBe(0);
    expect(openai.requests.length - n).toBe(1);
    expect(openai.requests.at(-1)!.body).toHaveProperty('max_completion_tokens');
    expect(r.stdout).toContain('Registered provider openai-api');
    expect(r.stdout).toContain(`It serves: ${A}.`);
    // Non-interactive: the rebuild that bakes the model into the agent config is offered, not run.
    expect(r.stdout).toContain(`nemoclaw ${A} rebuild`);
    expect(await route()).toMatchObject({ provider: 'openai-api', model: 'gpt-5.4' });
    expect(registry().sandboxes[A]).toMatchObject({ provider: 'openai', model: 'gpt-5.4' });
    expect(r.stdout + r.stderr).not.toContain(GOOD_KEY);
  });

  it('credentials add registers a provider without onboarding; twice is refused', async () => {
    const r = await w.cli(
      [
        'credentials',
        'add',
        'anthropicCompatible',
        '--endpoint-url',
        `${anthropic.url}/v1`,
        '--model',
        'claude-sonnet-4-6',
      ],
      { env: { COMPATIBLE_ANTHROPIC_API_KEY: GOOD_KEY } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(anthropic.requests.at(-1)!.path).toBe('/v1/messages');
    const creds = JSON.parse((await w.cli(['credentials', 'list', '--json'])).stdout);
    expect(creds.providers).toContainEqual(
      expect.objectContaining({
        name: 'compatible-anthropic-endpoint',
        credentialKeys: ['ANTHROPIC_API_KEY'],
      }),
    );
    const again = await w.cli(['credentials', 'add', 'anthropicCompatible', '--no-verify'], {
      env: { COMPATIBLE_ANTHROPIC_API_KEY: GOOD_KEY },
    });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('credentials reset');
  });

  it('switches to a registered provider without asking for its key again', async () => {
    const r = await w.cli(
      [
        'inference',
        'set',
        '--provider',
        'anthropicCompatible',
        '--model',
        'claude-sonnet-4-6',
        '--no-verify',
      ],
      { env: { COMPATIBLE_ANTHROPIC_API_KEY: '' } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(await route()).toMatchObject({
      provider: 'compatible-anthropic-endpoint',
      model: 'claude-sonnet-4-6',
    });
  });

  it('status shows the last inference from the logs, and probes the route only with --probe', async () => {
    const plain = JSON.parse((await w.cli([A, 'status', '--json'])).stdout);
    expect(plain.parts.inference.lastInference).toBeNull();
    expect(plain.parts.inference.summary).toContain('no inference request in the recent logs');
    expect(plain.parts.probe).toBeUndefined();
    // The supervisor's OCSF event after a routed call, written where the simulator reads the
    // sandbox's log (its container's output).
    const [c] = await docker().listContainers({
      filters: JSON.stringify({
        label: [`openshell.sim/state=${w.sim.stateDir}`, `openshell.ai/sandbox-name=${A}`],
      }),
    });
    const line =
      'API:INFERENCE [INFO] Success claude-sonnet-4-6 via compatible-anthropic-endpoint 640ms [POST /v1/messages]';
    const exec = await docker()
      .getContainer(c!.Id)
      .exec({ User: 'root', Cmd: ['sh', '-c', `echo '${line}' > /proc/1/fd/1`] });
    await exec.start({ Detach: true });
    await expect
      .poll(
        async () =>
          JSON.parse((await w.cli([A, 'status', '--json'])).stdout).parts.inference.lastInference,
        { timeout: 60_000, interval: 1000 },
      )
      .toMatchObject({
        model: 'claude-sonnet-4-6',
        provider: 'compatible-anthropic-endpoint',
        outcome: 'Success',
        latencyMs: 640,
      });
    const probed = await w.cli([A, 'status', '--json', '--probe']);
    // The stand-in sandbox cannot resolve inference.local: the probe says so, and only when asked.
    expect(JSON.parse(probed.stdout).parts.probe).toMatchObject({ state: 'fail' });
    expect(probed.code).toBe(1);
  });
});
