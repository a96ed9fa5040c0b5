import { describe, expect, it } from 'vitest';
import { describeLastInference, lastInference } from '../../../../src/core/ops/last-inference.ts';

describe('last inference from OpenShell logs', () => {
  const ok =
    '[1764352800.250] [sandbox] [OCSF ] [ocsf] API:INFERENCE [INFO] Success gpt-5.4 via openai-api 812ms [POST /v1/chat/completions]';
  const failed =
    '[1764352900.000] [sandbox] [OCSF ] [ocsf] API:INFERENCE [INFO] Failure claude-sonnet-4-6 via anthropic-prod 40ms [POST /v1/messages]';

  it('reads time, model, provider, outcome and latency of the latest event', () => {
    expect(lastInference(['[1764352700.000] [sandbox] [INFO ] [process] hello', ok])).toEqual({
      at: '2025-11-28T18:00:00.250Z',
      model: 'gpt-5.4',
      provider: 'openai-api',
      outcome: 'Success',
      latencyMs: 812,
      operation: 'POST /v1/chat/completions',
    });
    expect(lastInference([ok, failed])).toMatchObject({
      outcome: 'Failure',
      model: 'claude-sonnet-4-6',
    });
    expect(describeLastInference(lastInference([ok]))).toBe(
      '2025-11-28T18:00:00.250Z: gpt-5.4 via openai-api, success, 812 ms',
    );
  });

  it('says so when the logs hold no inference event', () => {
    expect(
      lastInference(['[1764352700.000] [sandbox] [INFO ] [process] NET:OPEN [INFO] ALLOWED']),
    ).toBeUndefined();
    expect(describeLastInference(undefined)).toMatch(/no inference request/);
  });
});
