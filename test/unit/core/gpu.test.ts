import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decideGpu,
  gpuDeviceRequests,
  isGpuRefusal,
  parseGpuRequest,
  parseNvidiaSmi,
  toolkitPresence,
  type GpuDetection,
} from '../../../src/core/gpu.ts';

const det = (gpus: number, toolkit: boolean): GpuDetection => ({
  gpus: Array.from({ length: gpus }, () => ({ name: 'NVIDIA L4', memoryMiB: 23034 })),
  toolkit: { cdiSpecs: [], engineRuntimes: toolkit ? ['nvidia'] : [], present: toolkit, via: [] },
});

describe('nvidia-smi output', () => {
  it('parses names (even with commas), memory, and [N/A]', () => {
    expect(
      parseNvidiaSmi('NVIDIA H100 80GB HBM3, 81559\nNVIDIA GB10, [N/A]\nWeird, Inc. GPU, 1024\n\n'),
    ).toEqual([
      { name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 },
      { name: 'NVIDIA GB10', memoryMiB: undefined },
      { name: 'Weird, Inc. GPU', memoryMiB: 1024 },
    ]);
    expect(parseNvidiaSmi('No devices were found')).toEqual([]);
    expect(parseNvidiaSmi('')).toEqual([]);
  });
  it('reads what a real H200 printed (test/fixtures/gpu, recorded on the device machine)', () => {
    const real = readFileSync(
      new URL('../../fixtures/gpu/h200-query-gpu.csv', import.meta.url),
      'utf8',
    );
    const gpus = parseNvidiaSmi(real);
    expect(gpus).toEqual([{ name: 'NVIDIA H200', memoryMiB: 143771 }]);
    // That host had no toolkit: auto runs without the GPU, --gpu is refused with the install steps.
    const none = { cdiSpecs: [], engineRuntimes: [], present: false, via: [] };
    expect(decideGpu({ mode: 'auto' }, { gpus, toolkit: none })).toMatchObject({ enabled: false });
    expect(() => decideGpu({ mode: 'on' }, { gpus, toolkit: none })).toThrow(/Toolkit/);
    const cdi = { ...none, cdiSpecs: ['/etc/cdi/nvidia.yaml'], present: true };
    expect(decideGpu({ mode: 'auto' }, { gpus, toolkit: cdi })).toMatchObject({ enabled: true });
  });
});

describe('toolkit', () => {
  it('needs a runtime or a CDI spec; nvidia-ctk alone is not enough', () => {
    expect(
      toolkitPresence({ nvidiaCtk: '1.17', cdiSpecs: [], engineRuntimes: ['runc'] }).present,
    ).toBe(false);
    expect(
      toolkitPresence({ cdiSpecs: ['/etc/cdi/nvidia.yaml'], engineRuntimes: [] }).present,
    ).toBe(true);
    expect(toolkitPresence({ cdiSpecs: [], engineRuntimes: ['nvidia'] }).via).toEqual([
      'Engine runtime "nvidia"',
    ]);
  });
});

describe('--gpu / --no-gpu / --gpu-count / NEMOCLAW_GPU', () => {
  it.each([
    [{}, { mode: 'auto' }],
    [{ gpu: false }, { mode: 'off' }],
    [{ gpu: true }, { mode: 'on' }],
    [{ gpuCount: 2 }, { mode: 'on', count: 2 }],
    [{ gpu: false, gpuCount: 2 }, { mode: 'off' }],
    [{ env: 'auto' }, { mode: 'auto' }],
    [{ env: '0' }, { mode: 'off' }],
    [{ env: 'on' }, { mode: 'on' }],
    [{ env: '3' }, { mode: 'on', count: 3 }],
  ] as const)('%o', (input, want) => {
    expect(parseGpuRequest(input)).toEqual(want);
  });
  it('rejects a bad count as a usage error', () => {
    expect(() => parseGpuRequest({ gpuCount: 0 })).toThrow(/whole number/);
    expect(() => parseGpuRequest({ env: 'lots' })).toThrow(/NEMOCLAW_GPU/);
  });
});

describe('decision', () => {
  it('auto uses the GPU only with the toolkit', () => {
    expect(decideGpu({ mode: 'auto' }, det(0, false)).enabled).toBe(false);
    expect(decideGpu({ mode: 'auto' }, det(1, false)).enabled).toBe(false);
    expect(decideGpu({ mode: 'auto' }, det(2, true)).enabled).toBe(true);
    expect(decideGpu({ mode: 'auto' }, det(2, true)).count).toBeUndefined();
    expect(decideGpu({ mode: 'off' }, det(2, true)).enabled).toBe(false);
  });
  it('--gpu fails without a GPU, without the toolkit, or with too high a count', () => {
    expect(() => decideGpu({ mode: 'on' }, det(0, true))).toThrow(/no NVIDIA GPU/);
    expect(() => decideGpu({ mode: 'on' }, det(1, false))).toThrow(/NVIDIA Container Toolkit/);
    expect(() => decideGpu({ mode: 'on', count: 2 }, det(1, true))).toThrow(/more GPUs/);
    expect(decideGpu({ mode: 'on', count: 2 }, det(2, true))).toMatchObject({
      enabled: true,
      count: 2,
    });
  });
});

describe('engine refusals', () => {
  it.each([
    ['could not select device driver "" with capabilities: [[gpu]]', true],
    ['Error response from daemon: unknown or invalid runtime name: nvidia', true],
    ['nvidia-container-cli: initialization error: load library failed', true],
    ['unresolvable CDI devices nvidia.com/gpu=all', true],
    ['no such image', false],
  ])('%s', (msg, want) => {
    expect(isGpuRefusal(msg)).toBe(want);
  });
  it('asks for all GPUs like --gpus all', () => {
    expect(gpuDeviceRequests()).toEqual([{ Driver: '', Count: -1, Capabilities: [['gpu']] }]);
  });
});
