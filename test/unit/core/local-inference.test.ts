import { describe, expect, it } from 'vitest';
import {
  healthUrl,
  localInferenceContainerSpec,
  type LocalInferenceSpec,
} from '../../../src/core/local-inference.ts';

describe('local inference container', () => {
  const spec: LocalInferenceSpec = {
    kind: 'nim',
    containerName: 'nemoclaw-nim-a',
    image: 'nim:1',
    containerPort: 8000,
    hostPort: 8000,
    bindAddress: '0.0.0.0',
    healthPath: '/v1/models',
    gpu: true,
    shmSizeBytes: 16 * 2 ** 30,
  };
  it('asks for every GPU, and does not restart while it loads', () => {
    const c = localInferenceContainerSpec(spec);
    expect(c.HostConfig.DeviceRequests).toEqual([
      { Driver: '', Count: -1, Capabilities: [['gpu']] },
    ]);
    expect(c.HostConfig.RestartPolicy).toEqual({ Name: 'no' });
    expect(c.HostConfig.ShmSize).toBe(16 * 2 ** 30);
    expect(
      localInferenceContainerSpec({ ...spec, gpu: false }).HostConfig.DeviceRequests,
    ).toBeUndefined();
    expect(healthUrl(spec)).toBe('http://127.0.0.1:8000/v1/models');
  });
});
