import { describe, expect, it } from 'vitest';
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
