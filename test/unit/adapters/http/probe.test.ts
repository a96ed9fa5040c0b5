import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels, probeProvider } from '../../../../src/adapters/http/probe.ts';
import { judgeProbe } from '../../../../src/core/onboard/probe-result.ts';
import {
  closedPort,
  GOOD_KEY,
  startInferenceServer,
  type InferenceServer,
} from '../../../helpers/inference-server.ts';

let srv: InferenceServer;
beforeAll(async () => {
  srv = await startInferenceServer();
});
afterAll(() => srv.close());

async function judge(
  api: 'openai' | 'anthropic',
  key: string,
  model: string,
  base?: string,
  timeoutMs?: number,
) {
  const baseUrl = base ?? (api === 'openai' ? `${srv.url}/v1` : srv.url);
  const out = await probeProvider({ api, baseUrl, model, apiKey: key, timeoutMs });
  return judgeProbe(out, { provider: 'Test', model, keyEnv: 'TEST_API_KEY', url: baseUrl });
}

describe.each(['openai', 'anthropic'] as const)('provider validation (%s shape)', (api) => {
  it('accepts a good key and model', async () => {
    const v = await judge(api, GOOD_KEY, 'test-model');
    expect(v).toMatchObject({ ok: true });
  });
  it('401: the key is rejected; re-enter it', async () => {
    const v = await judge(api, 'bad-key', 'test-model');
    expect(v).toMatchObject({ ok: false, next: 'key' });
    expect(v.reason).toContain('401');
    expect(v.fix).toContain('TEST_API_KEY');
  });
  it('403: valid key without access', async () => {
    const v = await judge(api, 'forbidden-key', 'test-model');
    expect(v).toMatchObject({ ok: false, next: 'key' });
    expect(v.reason).toContain('403');
  });
  it('unknown model: choose another model', async () => {
    const v = await judge(api, GOOD_KEY, 'no-such-model');
    expect(v).toMatchObject({ ok: false, next: 'model' });
    expect(v.reason).toContain('no-such-model');
  });
  it('5xx: retry', async () => {
    expect(await judge(api, GOOD_KEY, 'broken-model')).toMatchObject({ ok: false, next: 'retry' });
  });
  it('429: accepted with a warning', async () => {
    const v = await judge(api, GOOD_KEY, 'busy-model');
    expect(v.ok).toBe(true);
    expect(v.warning).toContain('429');
  });
});

describe('provider validation: network failures', () => {
  it('DNS failure names the host', async () => {
    const v = await judge('openai', GOOD_KEY, 'test-model', 'http://nemoclaw-test.invalid/v1');
    expect(v).toMatchObject({ ok: false, next: 'endpoint' });
    expect(v.reason).toContain('nemoclaw-test.invalid');
    expect(v.reason).toContain('DNS');
  });
  it('connection refused says nothing listens', async () => {
    const v = await judge(
      'openai',
      GOOD_KEY,
      'test-model',
      `http://127.0.0.1:${await closedPort()}/v1`,
    );
    expect(v).toMatchObject({ ok: false, next: 'retry' });
    expect(v.reason).toContain('connection refused');
  });
  it('timeout says how long it waited', async () => {
    const v = await judge('openai', GOOD_KEY, 'slow-model', undefined, 300);
    expect(v).toMatchObject({ ok: false, next: 'retry' });
    expect(v.reason).toContain('did not answer');
  });
  it('a wrong path is an endpoint problem', async () => {
    const v = await judge('openai', GOOD_KEY, 'test-model', `${srv.url}/nope`);
    expect(v).toMatchObject({ ok: false, next: 'endpoint' });
  });
  it('sends the key only in the auth header of the request', async () => {
    srv.requests.length = 0;
    await judge('openai', GOOD_KEY, 'test-model');
    expect(srv.requests[0]!.headers.authorization).toBe(`Bearer ${GOOD_KEY}`);
    expect(JSON.stringify(srv.requests[0]!.body)).not.toContain(GOOD_KEY);
  });
});

describe('local model lists', () => {
  it('lists model ids of an OpenAI-style server', async () => {
    expect(await listModels(`${srv.url}/v1`)).toEqual({ ids: ['test-model', 'other-model'] });
  });
  it('reports a refused connection', async () => {
    const r = await listModels(`http://127.0.0.1:${await closedPort()}/v1`);
    expect('failure' in r && r.failure.kind).toBe('refused');
  });
});
