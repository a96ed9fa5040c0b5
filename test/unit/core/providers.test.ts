import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProvider, PROVIDERS } from '../../../src/core/providers.ts';
import { startInferenceServer, type InferenceServer } from '../../helpers/inference-server.ts';

let srv: InferenceServer;
beforeAll(async () => {
  srv = await startInferenceServer();
});
afterAll(() => srv.close());

describe('provider table', () => {
  it('has the providers of product.md §9 with OpenShell names and types', () => {
    const rows = PROVIDERS.map((p) => [p.key, p.openshellName, p.openshellType]);
    expect(rows).toEqual([
      ['build', 'nvidia-prod', 'nvidia'],
      ['openai', 'openai-api', 'openai'],
      ['anthropic', 'anthropic-prod', 'anthropic'],
      ['gemini', 'gemini-api', 'openai'],
      ['custom', 'compatible-endpoint', 'openai'],
      ['anthropicCompatible', 'compatible-anthropic-endpoint', 'anthropic'],
      ['ollama', 'ollama-local', 'openai'],
      ['vllm', 'vllm-local', 'openai'],
      ['nim-local', 'nvidia-nim', 'openai'],
    ]);
  });
  it('resolves reference aliases', () => {
    expect(findProvider('cloud')?.key).toBe('build');
    expect(findProvider('nim')?.key).toBe('nim-local');
    expect(findProvider('nope')).toBeUndefined();
  });
  it('local providers reach the host through host.openshell.internal, never 127.0.0.1', () => {
    for (const p of PROVIDERS.filter((x) => x.local)) {
      expect(p.baseUrl).toContain('host.openshell.internal');
      expect(p.credentialKey).toBeUndefined();
    }
  });
});
