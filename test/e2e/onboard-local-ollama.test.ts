/**
 * Onboarding with a local Ollama on the real Engine: the built CLI starts the (stand-in) Ollama
 * container, pulls the model into its volume, checks that sandboxes can reach it, and routes
 * inference to it; the model volume outlives the container; `uninstall --delete-models` removes
 * both. The Ollama stand-in is test/helpers/ollama-standin.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, skipWithoutDocker, uniqueName } from '../helpers/docker.ts';
import {
  buildStandinImages,
  cleanupImages,
  createWorld,
  type Images,
  type World,
} from '../helpers/e2e.ts';
import { startInferenceServer, type InferenceServer } from '../helpers/inference-server.ts';
import { freePort } from '../helpers/net.ts';
import { buildOllamaStandin } from '../helpers/ollama-standin.ts';

const skip = await skipWithoutDocker('local Ollama onboarding end to end');
const MODEL = 'stand-in:1b';

describe.skipIf(skip)('onboarding with a local Ollama', () => {
  let images: Images;
  let w: World;
  let container: string;
  let port: number;
  let loopbackOnly: InferenceServer;
  const inspect = (name: string) =>
    docker()
      .getContainer(name)
      .inspect()
      .catch(() => undefined);
  const pulls = async () =>
    ((await (await fetch(`http://127.0.0.1:${port}/test/pulls`)).json()) as { pulls: number })
      .pulls;
  const onboard = async (name: string, args: string[] = [], env: Record<string, string> = {}) =>
    w.cli(['onboard', '--name', name, '--dashboard-port', String(await freePort()), ...args], {
      env,
    });

  beforeAll(async () => {
    let ollamaImage: string;
    [images, ollamaImage, loopbackOnly] = await Promise.all([
      buildStandinImages(),
      buildOllamaStandin(),
      startInferenceServer(),
    ]);
    container = uniqueName('nc-e2e-ollama');
    port = await freePort();
    w = await createWorld(images, {
      env: {
        NEMOCLAW_PROVIDER: 'ollama',
        NEMOCLAW_MODEL: MODEL,
        NEMOCLAW_ENDPOINT_URL: '',
        NEMOCLAW_LOCAL_INFERENCE_IMAGE: ollamaImage,
        NEMOCLAW_LOCAL_INFERENCE_CONTAINER: container,
        NEMOCLAW_LOCAL_INFERENCE_PORT: String(port),
      },
    });
  }, 240_000);
  afterAll(async () => {
    await w?.cleanup();
    await loopbackOnly?.close();
    await cleanupImages();
  });

  it('starts the container, pulls the model with progress, and routes to it', async () => {
    const r = await onboard('ol-alpha');
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toContain(`Pulling ${MODEL}`);
    expect(out).toMatch(/pulling 0123abcd \d+% of/);
    const c = await inspect(container);
    expect(c?.State.Running).toBe(true);
    expect(c?.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(c?.Config.Labels['ai.nvidia.nemoclaw.managed-by'] ?? c?.Config.Labels).toBeTruthy();
    expect(c?.Mounts.map((m) => m.Name)).toContain(`${container}-models`);
    expect(await pulls()).toBe(1);
    const route = JSON.parse((await w.cli(['inference', 'get', '--json'])).stdout).route;
    expect(route).toMatchObject({ provider: 'ollama-local', model: MODEL });
  });

  it('keeps the model across a new container, and reuses a server that answers', async () => {
    await docker().getContainer(container).remove({ force: true });
    const r = await onboard('ol-beta');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(`Pulling ${MODEL}`);
    expect(await pulls()).toBe(1);
    const again = await onboard('ol-gamma');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout + again.stderr).toContain('already answering');
  });

  it('refuses a server that only listens on loopback, which sandboxes cannot reach', async () => {
    const r = await onboard('ol-delta', ['--model', 'test-model'], {
      NEMOCLAW_LOCAL_INFERENCE_PORT: String(loopbackOnly.port),
    });
    // Onboarding reports a failed step as operational (exit 1), naming the step.
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/where sandboxes reach it \(host\.openshell\.internal\)/);
    expect(r.stderr).toContain('OLLAMA_HOST=0.0.0.0');
  });

  it('uninstall --delete-models removes the container and its model volume', async () => {
    const r = await w.cli(['uninstall', '--yes', '--keep-openshell', '--delete-models']);
    expect(r.code, r.stderr).toBe(0);
    expect(await inspect(container)).toBeUndefined();
    const vols = await docker().listVolumes({
      filters: JSON.stringify({ name: [`${container}-models`] }),
    });
    expect(vols.Volumes ?? []).toEqual([]);
  });
});
