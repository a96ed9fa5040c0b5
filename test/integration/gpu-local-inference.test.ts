import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine, engineFacts, type DockerEngine } from '../../src/adapters/docker/engine.ts';
import * as gpuProbe from '../../src/adapters/gpu/probe.ts';
import { NemoclawError } from '../../src/core/errors.ts';
import {
  localInferenceContainerSpec,
  type LocalInferenceSpec,
} from '../../src/core/local-inference.ts';
import { detectGpu, resolveGpu } from '../../src/usecases/gpu.ts';
import { startLocalInference } from '../../src/usecases/local-inference.ts';
import {
  cleanupRun,
  docker,
  importBusyboxImage,
  RUN_ID,
  skipWithoutDocker,
  TEST_LABEL,
  uniqueName,
} from '../helpers/docker.ts';
import { freePort } from '../helpers/net.ts';
import { realAdapters } from '../helpers/adapter-world.ts';

const labels = { [TEST_LABEL]: RUN_ID };
/** The real host probes, as the world's gpuProbe() gives them. */
const probe = { ...gpuProbe, engineFacts };
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

function fakeBin(dir: string, name: string, script: string): void {
  writeFileSync(join(dir, name), `#!/bin/sh\n${script}\n`);
  chmodSync(join(dir, name), 0o755);
}

describe('GPU detection with a fake nvidia-smi on PATH', () => {
  it('lists the GPUs and finds no toolkit, so --gpu fails before anything runs', async () => {
    const bin = tempDir('nc-fake-bin-');
    fakeBin(
      bin,
      'nvidia-smi',
      `[ "$1" = "--query-gpu=name,memory.total" ] || exit 9\nprintf 'NVIDIA A100-SXM4-80GB, 81920\\nNVIDIA GB10, [N/A]\\n'`,
    );
    const env = { PATH: `${bin}:/usr/bin:/bin` };
    const d = await detectGpu({
      probe,
      env,
      engineRuntimes: ['runc'],
      cdiDirs: [tempDir('nc-cdi-')],
    });
    expect(d.gpus).toEqual([
      { name: 'NVIDIA A100-SXM4-80GB', memoryMiB: 81920 },
      { name: 'NVIDIA GB10', memoryMiB: undefined },
    ]);
    expect(d.toolkit.present).toBe(false);

    const auto = await resolveGpu(
      { probe, env, engineRuntimes: ['runc'], cdiDirs: [] },
      { mode: 'auto' },
    );
    expect(auto.enabled).toBe(false);
    expect(auto.reason).toMatch(/Toolkit is not set up/);

    const err = await resolveGpu(
      { probe, env, engineRuntimes: ['runc'], cdiDirs: [] },
      { mode: 'on' },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NemoclawError);
    expect((err as NemoclawError).hint).toContain('nvidia-ctk cdi generate');
    expect((err as NemoclawError).hint).toContain('nvidia-container-toolkit');
  });

  it('counts nvidia-ctk plus a CDI spec as the toolkit, and enables the GPU by default', async () => {
    const bin = tempDir('nc-fake-bin-');
    fakeBin(bin, 'nvidia-smi', `echo 'NVIDIA L40S, 46068'`);
    fakeBin(bin, 'nvidia-ctk', `echo 'NVIDIA Container Toolkit CLI version 1.17.8'`);
    const cdi = tempDir('nc-cdi-');
    writeFileSync(
      join(cdi, 'nvidia.yaml'),
      'cdiVersion: 0.5.0\nkind: nvidia.com/gpu\ndevices: []\n',
    );
    const env = { PATH: `${bin}:/usr/bin:/bin` };
    const r = await resolveGpu(
      { probe, env, engineRuntimes: ['runc'], cdiDirs: [cdi] },
      { mode: 'auto' },
    );
    expect(r.enabled).toBe(true);
    expect(r.detection.toolkit.nvidiaCtk).toBe('1.17.8');
    expect(r.detection.toolkit.cdiSpecs).toEqual([join(cdi, 'nvidia.yaml')]);
    const two = await resolveGpu(
      { probe, env, engineRuntimes: ['nvidia'], cdiDirs: [] },
      { mode: 'on', count: 2 },
    ).catch((e: unknown) => e);
    expect((two as NemoclawError).message).toMatch(/more GPUs than this host has \(1\)/);
  });

  it('finds nothing when nvidia-smi is absent or fails', async () => {
    expect((await detectGpu({ probe, env: { PATH: tempDir('nc-empty-') } })).gpus).toEqual([]);
    const bin = tempDir('nc-fake-bin-');
    fakeBin(
      bin,
      'nvidia-smi',
      `echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'; exit 9`,
    );
    expect((await detectGpu({ probe, env: { PATH: `${bin}:/usr/bin:/bin` } })).gpus).toEqual([]);
  });
});

const skip = await skipWithoutDocker('GPU device requests and local inference');

describe.skipIf(skip)('local inference containers on the real engine', () => {
  let engine: DockerEngine;
  let image: string;

  beforeAll(async () => {
    engine = await connectEngine(process.env);
    image = `${uniqueName('nc-test-llm')}:1`;
    await importBusyboxImage(image, {
      extra: [{ path: '/www/v1/models', content: '{"data":[{"id":"stand-in"}]}' }],
      cmd: ['sh', '-c', 'trap "exit 0" TERM; httpd -f -p 8000 -h /www & wait'],
    });
  });
  afterAll(() => cleanupRun());

  const spec = async (over: Partial<LocalInferenceSpec> = {}): Promise<LocalInferenceSpec> => ({
    kind: 'vllm',
    containerName: uniqueName('nc-test-vllm'),
    image,
    containerPort: 8000,
    hostPort: await freePort(),
    bindAddress: '127.0.0.1',
    healthPath: '/v1/models',
    gpu: false,
    labels,
    ...over,
  });

  it('starts, waits for health, and reuses a healthy container', async () => {
    const s = await spec();
    const r = await startLocalInference({ ...realAdapters(), engine }, s, { timeoutMs: 30_000 });
    expect(r.reused).toBe(false);
    expect(await (await fetch(r.url)).text()).toContain('stand-in');
    const info = await docker().getContainer(s.containerName).inspect();
    expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(info.HostConfig.DeviceRequests ?? []).toEqual([]);
    const again = await startLocalInference({ ...realAdapters(), engine }, s);
    expect(again).toMatchObject({ reused: true, containerId: r.containerId });
  });

  const crashing = (code: number) => [
    'sh',
    '-c',
    `echo "loading model stand-in"; echo "RuntimeError: CUDA unknown error" >&2; exit ${code}`,
  ];

  it('stops waiting when the container exits, with its exit code and last log lines', async () => {
    const s = await spec({ cmd: crashing(1) });
    // The bound is far beyond the test's own timeout: only the exit can end the wait in time.
    const err = await startLocalInference({ ...realAdapters(), engine }, s, {
      timeoutMs: 3_600_000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NemoclawError);
    const msg = (err as NemoclawError).message;
    expect(msg).toContain('exited with code 1 before it became healthy');
    expect(msg).toContain('RuntimeError: CUDA unknown error');
    expect(msg).toContain('loading model stand-in');
    // Not left in a restart loop: it stays stopped with the code of its one exit.
    const st = await docker().getContainer(s.containerName).inspect();
    expect(st.State.Running).toBe(false);
    expect(st.State.ExitCode).toBe(1);
    expect(st.RestartCount).toBe(0);
  });

  it('reads the exit code of a kept container that an older run left restarting unless stopped', async () => {
    const s = await spec({ cmd: crashing(3) });
    const c = localInferenceContainerSpec(s);
    await docker().createContainer({
      ...c,
      HostConfig: { ...c.HostConfig, RestartPolicy: { Name: 'unless-stopped' } },
    });
    const err = await startLocalInference({ ...realAdapters(), engine }, s, {
      timeoutMs: 3_600_000,
    }).catch((e: unknown) => e);
    expect((err as NemoclawError).message).toContain('exited with code 3 before it became healthy');
    const st = await docker().getContainer(s.containerName).inspect();
    expect(st.HostConfig.RestartPolicy?.Name).toBe('no');
    expect(st.State.Running).toBe(false);
  });

  it('asks the Engine for all GPUs, and turns its refusal on this GPU-less host into the toolkit steps', async () => {
    const facts = await engineFacts(engine);
    if (facts.runtimes.includes('nvidia')) return; // a GPU host: the refusal cannot be shown here
    const s = await spec({ gpu: true });
    const err = await startLocalInference({ ...realAdapters(), engine }, s, {
      timeoutMs: 10_000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NemoclawError);
    const e = err as NemoclawError;
    expect(e.message).toMatch(/cannot give containers a GPU/);
    expect(e.message).toMatch(/could not select device driver/);
    expect(e.hint).toContain('nvidia-ctk runtime configure');
    // Nothing is left behind that a later run could mistake for a usable container.
    expect(
      await docker()
        .getContainer(s.containerName)
        .inspect()
        .catch(() => undefined),
    ).toBeUndefined();
  });
});
