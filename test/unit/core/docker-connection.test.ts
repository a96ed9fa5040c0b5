import { describe, expect, it } from 'vitest';
import {
  chooseEngineTarget,
  classifyEngineError,
  describeTarget,
  engineUnavailableError,
  parseDockerHost,
  type EngineTarget,
} from '../../../src/core/docker-connection.ts';

describe('engine address', () => {
  it.each([
    ['unix:///var/run/docker.sock', 'unix:///var/run/docker.sock'],
    ['/run/user/1000/docker.sock', 'unix:///run/user/1000/docker.sock'],
    ['tcp://10.0.0.5:2375', 'tcp://10.0.0.5:2375'],
    ['tcp://10.0.0.5', 'tcp://10.0.0.5:2375'],
    ['ssh://me@box', 'ssh://me@box:22'],
    ['npipe:////./pipe/docker_engine', 'npipe:////./pipe/docker_engine'],
  ])('%s', (value, shown) => {
    expect(describeTarget(parseDockerHost(value, 'DOCKER_HOST'))).toBe(shown);
  });

  it('uses TLS and 2376 with DOCKER_TLS_VERIFY', () => {
    expect(
      chooseEngineTarget({ DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1' }, undefined),
    ).toMatchObject({
      kind: 'tcp',
      port: 2376,
      tls: true,
    });
  });

  it('prefers DOCKER_HOST, then the docker context, then the default socket', () => {
    expect(chooseEngineTarget({ DOCKER_HOST: 'tcp://a:1' }, 'unix:///ctx.sock').source).toBe(
      'DOCKER_HOST',
    );
    expect(chooseEngineTarget({}, 'unix:///Users/me/.colima/default/docker.sock')).toMatchObject({
      kind: 'unix',
      socketPath: '/Users/me/.colima/default/docker.sock',
      source: 'docker context',
    });
    expect(chooseEngineTarget({}, undefined)).toMatchObject({
      socketPath: '/var/run/docker.sock',
      source: 'default',
    });
  });

  it('rejects nonsense', () => {
    expect(() => parseDockerHost('ftp://x', 'DOCKER_HOST')).toThrow(/unsupported scheme/);
    expect(() => parseDockerHost('::::', 'DOCKER_HOST')).toThrow(/does not accept/);
  });
});

describe('why the engine did not answer', () => {
  const unix: EngineTarget = {
    kind: 'unix',
    socketPath: '/var/run/docker.sock',
    source: 'default',
  };
  const tcp: EngineTarget = {
    kind: 'tcp',
    host: 'h',
    port: 2375,
    tls: false,
    source: 'DOCKER_HOST',
  };
  it.each([
    [unix, { code: 'ENOENT' }, 'no-socket'],
    [unix, { code: 'EACCES' }, 'permission-denied'],
    [unix, { code: 'ECONNREFUSED' }, 'not-running'],
    [tcp, { code: 'ECONNREFUSED' }, 'host-unreachable'],
    [tcp, { code: 'ENOTFOUND' }, 'host-unreachable'],
    [tcp, { code: 'EHOSTUNREACH' }, 'host-unreachable'],
    [tcp, { code: 'ETIMEDOUT' }, 'timeout'],
    [unix, { statusCode: 404 }, 'not-docker'],
    [unix, { message: 'weird' }, 'other'],
  ] as const)('%o %o → %s', (t, e, want) => {
    expect(classifyEngineError(e, t)).toBe(want);
  });

  it('gives the docker group fix for a denied socket', () => {
    const e = engineUnavailableError('permission-denied', unix);
    expect(e.kind).toBe('denied');
    expect(e.hint).toContain('sudo usermod -aG docker $USER');
  });

  it('says how to start the daemon, and names DOCKER_HOST when it is the source', () => {
    expect(engineUnavailableError('not-running', unix).hint).toMatch(
      /systemctl start docker.*colima start/,
    );
    expect(engineUnavailableError('host-unreachable', tcp).message).toContain('(from DOCKER_HOST)');
    expect(engineUnavailableError('no-socket', unix).hint).toMatch(/Install and start Docker/);
  });
});
