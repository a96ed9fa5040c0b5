import { describe, expect, it } from 'vitest';
import { BuildTracker } from '../../../src/core/build-stream.ts';
import { listeningInodes, parseMeminfo, parseProcNetTcp } from '../../../src/core/host-facts.ts';
import {
  healthUrl,
  localInferenceContainerSpec,
  type LocalInferenceSpec,
} from '../../../src/core/local-inference.ts';
import { resolvePorts } from '../../../src/core/ports.ts';
import {
  buildKey,
  contextDigest,
  customImageTag,
  excludedFromContext,
  sandboxBuildArgs,
  sandboxImageTag,
} from '../../../src/core/sandbox-image.ts';

const D = `sha256:${'ab'.repeat(32)}`;

describe('sandbox image tag', () => {
  it('is content-addressed over blueprint digest, agent and base image', () => {
    const k = buildKey({ blueprintDigest: D, agent: 'openclaw', baseImage: 'base:1' });
    expect(sandboxImageTag({ agent: 'openclaw', blueprintVersion: '0.1.0', key: k })).toBe(
      `nemoclaw-sandbox-openclaw:0.1.0-${k.slice(0, 12)}`,
    );
    expect(buildKey({ blueprintDigest: D, agent: 'openclaw', baseImage: 'base:2' })).not.toBe(k);
    expect(buildKey({ blueprintDigest: D, agent: 'hermes', baseImage: 'base:1' })).not.toBe(k);
    expect(customImageTag({ agent: 'hermes', contextDigest: D })).toBe(
      'nemoclaw-sandbox-hermes:custom-abababababab',
    );
  });

  it('build args are exactly three, none secret', () => {
    expect(
      Object.keys(
        sandboxBuildArgs({ baseImage: 'b', agent: 'openclaw', blueprintVersion: '0.1.0' }),
      ),
    ).toEqual(['BASE_IMAGE', 'AGENT', 'BLUEPRINT_VERSION']);
  });
});

describe('--from context filter', () => {
  it.each([
    ['.git/config', true],
    ['sub/.git/HEAD', true],
    ['node_modules/a/b.js', true],
    ['.env', true],
    ['.env.production', true],
    ['.envrc', false],
    ['environment.ts', false],
    ['.ssh/id_rsa', true],
    ['id_ed25519', true],
    ['certs/tls.key', true],
    ['certs/tls.pem', true],
    ['secrets/token', true],
    ['.aws/credentials', true],
    ['.npmrc', true],
    ['src/main.ts', false],
    ['Dockerfile', false],
  ])('%s → %s', (p, want) => {
    expect(excludedFromContext(p)).toBe(want);
  });
  it('context digest ignores listing order', () => {
    const a = [
      { path: 'a', sha256: '1' },
      { path: 'b', sha256: '2' },
    ];
    expect(contextDigest(a)).toBe(contextDigest([...a].reverse()));
  });
});

describe('build stream', () => {
  it('keeps the failing step and its output', () => {
    const t = new BuildTracker();
    t.feed({ stream: 'Step 1/2 : FROM base\n' });
    t.feed({ stream: ' ---> 1234\n' });
    t.feed({ stream: 'Step 2/2 : RUN make\n' });
    t.feed({ stream: ' ---> Running in abc\n' });
    expect(t.feed({ stream: '\u001b[91mcc: error\n\u001b[0m' })).toEqual(['cc: error']);
    t.feed({
      errorDetail: {
        code: 2,
        message: "The command '/bin/sh -c make' returned a non-zero code: 2",
      },
      error: 'x',
    });
    const e = t.failure('img:1', 'fix it');
    expect(e.message).toContain('failed at step 2/2 (RUN make)');
    expect(e.message).toContain('cc: error');
    expect(e.message).not.toContain('--->');
    const oom = new BuildTracker();
    oom.feed({ error: "The command '/bin/sh -c npm ci' returned a non-zero code: 137" });
    expect(oom.failure('i', 'h').message).toMatch(/OOM killer/);
  });
});

describe('host facts', () => {
  it('parses /proc/net/tcp and meminfo', () => {
    const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 99 1 0000000000000000 100 0 0 10 0`;
    expect(listeningInodes(parseProcNetTcp(tcp), 8080)).toEqual([12345]);
    expect(parseMeminfo('MemTotal:       16384000 kB\nSwapTotal:       2048000 kB\n')).toEqual({
      memTotalMb: 16000,
      swapTotalMb: 2000,
    });
  });
  it('ports: flags over env, range, distinct', () => {
    expect(resolvePorts({}, {})).toEqual({ gatewayPort: 8080, dashboardPort: 18789 });
    expect(resolvePorts({ gatewayPort: 9090 }, { NEMOCLAW_GATEWAY_PORT: '9000' }).gatewayPort).toBe(
      9090,
    );
    expect(() => resolvePorts({}, { NEMOCLAW_DASHBOARD_PORT: '80' })).toThrow(
      /NEMOCLAW_DASHBOARD_PORT must be a port/,
    );
    expect(() => resolvePorts({ gatewayPort: 18789 }, {})).toThrow(/both 18789/);
  });
});

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
