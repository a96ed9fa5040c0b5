import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OLLAMA_MODEL,
  engineOfProvider,
  localServerPlan,
  pullProgressLine,
} from '../../../src/core/local-server.ts';
import { localInferenceContainerSpec } from '../../../src/core/local-inference.ts';

describe('local inference server plan', () => {
  it('maps providers to engines', () => {
    expect(['ollama', 'vllm', 'nim-local', 'openai'].map(engineOfProvider)).toEqual([
      'ollama',
      'vllm',
      'nim',
      undefined,
    ]);
  });

  it('Ollama: default model, model volume named after the container, reachable from the bridge', () => {
    const p = localServerPlan('ollama', { env: {}, gpu: true, labels: { a: 'b' } });
    expect(p.model).toBe(DEFAULT_OLLAMA_MODEL);
    expect(p.volume).toBe('nemoclaw-ollama-models');
    expect(p.gatewayBase).toBe('http://host.openshell.internal:11434/v1');
    expect(p.hostBase).toBe('http://127.0.0.1:11434/v1');
    const c = localInferenceContainerSpec(p.spec);
    expect(c.HostConfig.Binds).toEqual(['nemoclaw-ollama-models:/root/.ollama']);
    expect(c.HostConfig.PortBindings['11434/tcp']).toEqual([
      { HostIp: '0.0.0.0', HostPort: '11434' },
    ]);
    expect(c.HostConfig.DeviceRequests).toHaveLength(1);
    expect(c.Labels).toMatchObject({ a: 'b' });
  });

  it('overrides for side-by-side runs move every URL with the port', () => {
    const p = localServerPlan('vllm', {
      env: { NEMOCLAW_LOCAL_INFERENCE_PORT: '18000', NEMOCLAW_LOCAL_INFERENCE_CONTAINER: 'x' },
      gpu: false,
      model: 'org/m',
      labels: {},
    });
    expect(p.spec.cmd).toEqual(['--model', 'org/m', '--host', '0.0.0.0', '--port', '8000']);
    expect(p.gatewayBase).toBe('http://host.openshell.internal:18000/v1');
    expect(p.volume).toBe('x-models');
    expect(localInferenceContainerSpec(p.spec).HostConfig.DeviceRequests).toBeUndefined();
  });

  it('NIM gets NGC_API_KEY in its environment only, never in its command', () => {
    const p = localServerPlan('nim', { env: {}, gpu: true, ngcApiKey: 'nvapi-secret', labels: {} });
    const c = localInferenceContainerSpec(p.spec);
    expect(c.Env).toContain('NGC_API_KEY=nvapi-secret');
    expect(JSON.stringify(c.Cmd ?? [])).not.toContain('nvapi-secret');
  });

  it('renders Ollama pull progress', () => {
    expect(pullProgressLine({ status: 'pulling abc', total: 2 ** 31, completed: 2 ** 30 })).toBe(
      'pulling abc 50% of 2.0 GiB',
    );
    expect(pullProgressLine({ error: 'pull model manifest: file does not exist' })).toMatch(
      /^error/,
    );
    expect(pullProgressLine({})).toBeUndefined();
  });
});
