import { describe, expect, it } from 'vitest';
import {
  resolveIntent,
  formatProblems,
  type OnboardFlags,
} from '../../../../src/core/onboard/intent.ts';

const PRESETS = ['npm', 'pypi', 'github', 'slack'];
function resolve(flags: OnboardFlags, env: Record<string, string> = {}, experimental = false) {
  return resolveIntent(flags, {
    env: { NVIDIA_API_KEY: 'nvapi-x', NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE: '1', ...env },
    knownPresets: PRESETS,
    experimental,
    defaultAgent: 'openclaw',
    defaults: { dashboardPort: 18789, gatewayPort: 8080, sandboxName: 'my-assistant' },
  });
}

describe('non-interactive intent', () => {
  it('defaults to NVIDIA Endpoints, the balanced tier and my-assistant', () => {
    const r = resolve({});
    expect(r.problems).toEqual([]);
    expect(r.intent).toMatchObject({
      agent: 'openclaw',
      provider: 'build',
      model: 'nvidia/nemotron-3-super-120b-a12b',
      sandboxName: 'my-assistant',
      policyTier: 'balanced',
      extraPresets: [],
      gpu: { mode: 'auto' },
      dashboardPort: 18789,
      gatewayPort: 8080,
      recreate: false,
    });
  });

  it('flags win over the environment', () => {
    const r = resolve(
      { name: 'from-flag', model: 'flag/model' },
      { NEMOCLAW_SANDBOX_NAME: 'from-env', NEMOCLAW_MODEL: 'env/model' },
    );
    expect(r.intent).toMatchObject({ sandboxName: 'from-flag', model: 'flag/model' });
  });

  it('names every invalid input at once', () => {
    const r = resolve(
      {},
      {
        NEMOCLAW_PROVIDER: 'custom',
        NEMOCLAW_SANDBOX_NAME: 'Bad_Name',
        NEMOCLAW_POLICY_TIER: 'wide-open',
        NEMOCLAW_POLICY_PRESETS: 'npm,nope',
        NEMOCLAW_DASHBOARD_PORT: '80',
        NEMOCLAW_GPU: 'maybe',
        NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE: '',
      },
    );
    const inputs = r.problems.map((p) => p.input);
    expect(inputs).toEqual([
      '--endpoint-url / NEMOCLAW_ENDPOINT_URL',
      '--model / NEMOCLAW_MODEL',
      'COMPATIBLE_API_KEY',
      '--name / NEMOCLAW_SANDBOX_NAME',
      '--policy-tier / NEMOCLAW_POLICY_TIER',
      '--policy-presets / NEMOCLAW_POLICY_PRESETS',
      'NEMOCLAW_GPU',
      '--dashboard-port / NEMOCLAW_DASHBOARD_PORT',
      '--yes-i-accept-third-party-software / NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE=1',
    ]);
    const text = formatProblems(r.problems);
    expect(text).toContain('9 invalid inputs');
    expect(text).toContain('unknown preset(s): nope');
  });

  it('requires the provider key in its own env var, and never reads the key into the intent', () => {
    const r = resolve({ provider: 'openai' });
    expect(r.problems.map((p) => p.input)).toEqual(['OPENAI_API_KEY']);
    const ok = resolve({ provider: 'openai' }, { OPENAI_API_KEY: 'sk-secret-value-123' });
    expect(JSON.stringify(ok.intent)).not.toContain('sk-secret-value-123');
  });

  it('gates experimental providers', () => {
    expect(resolve({ provider: 'vllm' }).problems[0]!.problem).toContain('NEMOCLAW_EXPERIMENTAL=1');
    expect(resolve({ provider: 'vllm' }, {}, true).problems).toEqual([]);
  });

  it('understands GPU choices', () => {
    expect(resolve({ gpu: false }).intent!.gpu).toEqual({ mode: 'off' });
    expect(resolve({}, { NEMOCLAW_GPU: '1' }).intent!.gpu).toEqual({ mode: 'on' });
    expect(resolve({}, { NEMOCLAW_GPU: '2' }).intent!.gpu).toEqual({ mode: 'on', count: 2 });
    expect(resolve({ gpuCount: '4' }).intent!.gpu).toEqual({ mode: 'on', count: 4 });
    expect(resolve({ gpu: false, gpuCount: '2' }).problems[0]!.input).toBe('--gpu-count');
    expect(resolve({ gpuCount: '0' }).problems[0]!.problem).toContain('at least 1');
  });

  it('rejects equal ports and the reserved names', () => {
    expect(resolve({ dashboardPort: '9000', gatewayPort: '9000' }).problems[0]!.problem).toContain(
      'must differ',
    );
    expect(resolve({ name: 'list' }).problems[0]!.problem).toContain('nemoclaw command');
  });

  it('local providers need no key and may leave the model to the server', () => {
    const r = resolve({ provider: 'ollama' });
    expect(r.problems).toEqual([]);
    expect(r.intent!.model).toBe('');
  });
});

describe('what the wizard may ask for', () => {
  it('marks answers that were not given as missing, and given-but-wrong ones not', () => {
    const r = resolveIntent(
      { provider: 'custom', agent: 'robot', policyTier: 'wide' },
      {
        env: {},
        knownPresets: PRESETS,
        experimental: false,
        defaultAgent: 'openclaw',
        defaults: { dashboardPort: 18789, gatewayPort: 8080, sandboxName: 'my-assistant' },
      },
    );
    const missing = r.problems.filter((p) => p.missing).map((p) => p.input);
    const wrong = r.problems.filter((p) => !p.missing).map((p) => p.input);
    expect(missing).toEqual([
      '--endpoint-url / NEMOCLAW_ENDPOINT_URL',
      '--model / NEMOCLAW_MODEL',
      'COMPATIBLE_API_KEY',
      '--yes-i-accept-third-party-software / NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE=1',
    ]);
    expect(wrong).toEqual(['--agent / NEMOCLAW_AGENT', '--policy-tier / NEMOCLAW_POLICY_TIER']);
  });

  it('an experimental provider given without NEMOCLAW_EXPERIMENTAL=1 is wrong, not missing', () => {
    const r = resolve({ provider: 'vllm' });
    expect(r.problems.filter((p) => !p.missing).map((p) => p.problem)).toEqual([
      expect.stringContaining('NEMOCLAW_EXPERIMENTAL=1'),
    ]);
  });
});
