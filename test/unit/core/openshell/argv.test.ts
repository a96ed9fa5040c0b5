import { describe, expect, it } from 'vitest';
import * as argv from '../../../../src/core/openshell/argv.ts';
import { NemoclawError } from '../../../../src/core/errors.ts';

describe('openshell argv builders', () => {
  it('builds sandbox create with the trailing command last and a bare --gpu before it', () => {
    const c = argv.sandboxCreate({
      name: 'my-sb',
      from: 'img:1',
      policyFile: '/tmp/p.yaml',
      providers: ['nvidia-prod', 'github'],
      gpu: true,
      env: { LANG: 'C' },
      labels: { app: 'x' },
      autoProviders: false,
      command: ['/bin/sh', '-c', 'run --x'],
    });
    expect(c.verb).toEqual(['sandbox', 'create']);
    expect(c.args).toEqual([
      '--name',
      'my-sb',
      '--from',
      'img:1',
      '--policy',
      '/tmp/p.yaml',
      '--provider',
      'nvidia-prod',
      '--provider',
      'github',
      '--env',
      'LANG=C',
      '--label',
      'app=x',
      '--no-auto-providers',
      '--gpu',
      '--',
      '/bin/sh',
      '-c',
      'run --x',
    ]);
    expect(argv.sandboxCreate({ name: 'a', from: 'b', gpu: 2 }).args).toContain('--gpu=2');
  });

  it('refuses a secret-looking --env and a zero GPU count', () => {
    expect(() =>
      argv.sandboxCreate({ name: 'a', from: 'b', env: { NVIDIA_API_KEY: 'x' } }),
    ).toThrow(NemoclawError);
    expect(() => argv.sandboxCreate({ name: 'a', from: 'b', gpu: 0 })).toThrow(/at least 1/);
  });

  it('passes credentials by env name only', () => {
    const c = argv.providerCreate({
      name: 'nv',
      type: 'nvidia',
      credentialEnv: ['NVIDIA_API_KEY'],
      config: { NVIDIA_BASE_URL: 'https://x/v1' },
    });
    expect(c.args).toEqual([
      '--name',
      'nv',
      '--type',
      'nvidia',
      '--credential',
      'NVIDIA_API_KEY',
      '--config',
      'NVIDIA_BASE_URL=https://x/v1',
    ]);
    expect(() =>
      argv.providerCreate({
        name: 'nv',
        type: 'nvidia',
        credentialEnv: ['NVIDIA_API_KEY=nvapi-secret'],
      }),
    ).toThrow(/not a variable name/);
    expect(() => argv.providerCreate({ name: 'nv', type: 'openai' })).toThrow(
      /credential env name/,
    );
    try {
      argv.providerCreate({ name: 'nv', type: 'nvidia', credentialEnv: ['K=nvapi-secret'] });
    } catch (e) {
      expect((e as Error).message).not.toContain('nvapi-secret');
    }
  });

  it('builds the other calls', () => {
    expect(argv.sandboxExec('sb', ['ls', '-la'], { workdir: '/w', timeoutSecs: 5 }).args).toEqual([
      '--name',
      'sb',
      '--no-tty',
      '--workdir',
      '/w',
      '--timeout',
      '5',
      '--',
      'ls',
      '-la',
    ]);
    expect(argv.policySet('sb', '/p.yaml', { wait: true, timeoutSecs: 30 }).args).toEqual([
      'sb',
      '--policy',
      '/p.yaml',
      '--wait',
      '--timeout',
      '30',
    ]);
    expect(argv.policyGet('sb').args).toEqual(['sb', '--full']);
    expect(argv.policyGet('sb', { base: true, rev: 2 }).args).toEqual([
      'sb',
      '--base',
      '--rev',
      '2',
    ]);
    expect(argv.forwardStart('sb', 18789).args).toEqual(['18789', 'sb', '--background']);
    expect(argv.forwardStart('sb', 80, { bind: '0.0.0.0', background: false }).args).toEqual([
      '0.0.0.0:80',
      'sb',
    ]);
    expect(
      argv.logs('sb', { tail: 50, since: '5m', source: 'sandbox', follow: true }).args,
    ).toEqual(['sb', '-n', '50', '--since', '5m', '--source', 'sandbox', '--tail']);
    expect(
      argv.gatewayAdd('http://127.0.0.1:8080', { name: 'nemoclaw', local: true }).args,
    ).toEqual(['http://127.0.0.1:8080', '--name', 'nemoclaw', '--local']);
  });

  it('prints a call for plans, with -g after the verb', () => {
    const c = argv.sandboxCreate({ name: 'a', from: 'img:1', command: ['sh', '-c', 'echo hi'] });
    expect(argv.formatCall(c, 'nemoclaw')).toBe(
      'openshell sandbox create -g nemoclaw --name a --from img:1 -- sh -c "echo hi"',
    );
  });
});
