import { describe, expect, it } from 'vitest';
import { globMatch } from '../../../../src/core/policy/glob.ts';

describe('glob (OpenShell/OPA semantics)', () => {
  const cases: [string, string[], string, boolean][] = [
    // paths: `*` stays in a segment, `**` crosses
    ['/repos/*', ['/'], '/repos/x', true],
    ['/repos/*', ['/'], '/repos/x/y', false],
    ['/repos/**', ['/'], '/repos/x/y', true],
    ['/repos/**', ['/'], '/repos/', true],
    ['/**', ['/'], '/', true],
    ['/bot*/**', ['/'], '/bot123:abc/sendMessage', true],
    ['/bot*/**', ['/'], '/file/bot1/x', false],
    ['/v?/x', ['/'], '/v1/x', true],
    ['/v?/x', ['/'], '/v12/x', false],
    ['/v[0-9]/x', ['/'], '/v7/x', true],
    ['/v[!0-9]/x', ['/'], '/v7/x', false],
    ['/{a,b}/x', ['/'], '/b/x', true],
    ['/{a,b}/x', ['/'], '/c/x', false],
    ['/**/git-upload-pack', ['/'], '/o/r.git/git-upload-pack', true],
    ['/a.b', ['/'], '/aXb', false],
    // hosts: `*` is one label, `**` spans labels
    ['*.example.com', ['.'], 'api.example.com', true],
    ['*.example.com', ['.'], 'a.b.example.com', false],
    ['*.example.com', ['.'], 'example.com', false],
    ['**.example.com', ['.'], 'a.b.example.com', true],
    ['*-api.example.com', ['.'], 'eu-api.example.com', true],
    // binaries
    ['/usr/bin/python3*', ['/'], '/usr/bin/python3.12', true],
    ['/usr/bin/python3*', ['/'], '/usr/bin/python3/x', false],
    ['/home/linuxbrew/.linuxbrew/**', ['/'], '/home/linuxbrew/.linuxbrew/bin/brew', true],
    // no delimiter
    ['v*', [], 'v1/2', true],
    ['\\*', [], '*', true],
    ['\\*', [], 'x', false],
  ];
  it.each(cases)('%s %j %s → %s', (p, d, s, want) => expect(globMatch(p, d, s)).toBe(want));
});
