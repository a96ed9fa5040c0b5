/** The simulator data plane's pure parts: the egress decision, the OCSF lines, placeholders. */
import { describe, expect, it } from 'vitest';
import { hostMap } from '../../../simulator/dataplane/context.ts';
import { backendUrl } from '../../../simulator/dataplane/inference.ts';
import { httpForward, httpL7, netOpen, ocsfUrl } from '../../../simulator/dataplane/ocsf.ts';
import { parseDenialMessage } from '../../../../src/core/openshell/denials.ts';
import type { NetworkPolicy } from '../../../simulator/dataplane/rules.ts';
import { decideL4, decideRest, globMatch } from '../../../simulator/dataplane/rules.ts';
import { placeholderEnv, resolvePlaceholders } from '../../../simulator/dataplane/secrets.ts';

const node = { path: '/usr/bin/node', ancestors: ['/usr/local/bin/openclaw'] };

const policies: Record<string, NetworkPolicy> = {
  github: {
    endpoints: [{ host: 'api.github.com', port: 443, protocol: 'rest', access: 'read-only' }],
    binaries: [{ path: '/usr/bin/node' }],
  },
  npm: {
    endpoints: [{ host: '*.npmjs.org', ports: [443, 80] }],
    binaries: [{ path: '/usr/local/bin/*' }],
  },
  a_also_github: {
    endpoints: [{ host: 'API.GITHUB.COM', port: 443 }],
    binaries: [{ path: '/usr/bin/curl' }],
  },
};

describe('egress decision (sandbox-policy.rego)', () => {
  it('globs: * stays in a segment, ** crosses, ? is one character', () => {
    expect(globMatch('*.x.com', '.', 'a.x.com')).toBe(true);
    expect(globMatch('*.x.com', '.', 'a.b.x.com')).toBe(false);
    expect(globMatch('**.x.com', '.', 'a.b.x.com')).toBe(true);
    expect(globMatch('/v1/**', '/', '/v1/a/b')).toBe(true);
    expect(globMatch('/v1/*', '/', '/v1/a/b')).toBe(false);
    expect(globMatch('/v?/[ab]', '/', '/v2/b')).toBe(true);
  });

  it('allows on endpoint and binary (exact, ancestor or glob); the smallest key names it', () => {
    expect(decideL4(policies, 'api.github.com', 443, node)).toMatchObject({
      allow: true,
      policy: 'github',
    });
    const curl = decideL4(policies, 'api.github.com', 443, {
      path: '/usr/bin/curl',
      ancestors: [],
    });
    expect(curl).toMatchObject({ allow: true, policy: 'a_also_github' });
    expect(decideL4(policies, 'registry.npmjs.org', 80, node)).toMatchObject({
      allow: true,
      policy: 'npm',
    });
    expect(decideL4(policies, 'registry.npmjs.org', 8080, node).allow).toBe(false);
  });

  it("denies with the rego's reasons", () => {
    expect(decideL4(policies, 'evil.test', 443, node)).toEqual({
      allow: false,
      reason: 'endpoint evil.test:443 is not allowed by any policy',
    });
    const d = decideL4(policies, 'api.github.com', 443, {
      path: '/bin/busybox',
      ancestors: ['/bin/busybox'],
    });
    expect(d.allow).toBe(false);
    expect(!d.allow && d.reason).toContain(
      "binary '/bin/busybox' not allowed in policy 'a_also_github'",
    );
    expect(!d.allow && d.reason).toContain("binary '/bin/busybox' not allowed in policy 'github'");
    expect(decideL4({}, 'x.test', 80, node)).toEqual({
      allow: false,
      reason: 'network connections not allowed by policy',
    });
    expect(decideL4(policies, 'api.github.com', 443, { path: '-', ancestors: [] }).allow).toBe(
      false,
    );
  });

  it('REST: access levels, rules, and deny rules that win', () => {
    expect(decideRest({ access: 'read-only' }, 'GET', '/repos?x=1')).toBeNull();
    expect(decideRest({ access: 'read-only' }, 'POST', '/repos')).toBe(
      'POST /repos not permitted by policy',
    );
    expect(decideRest({ access: 'read-write' }, 'PATCH', '/a')).toBeNull();
    expect(decideRest({ access: 'read-write' }, 'DELETE', '/a')).not.toBeNull();
    expect(decideRest({ access: 'full' }, 'DELETE', '/a')).toBeNull();
    const e = {
      rules: [{ allow: { method: '*', path: '/v1/**' } }],
      deny_rules: [{ method: 'DELETE', path: '/v1/admin/**' }],
    };
    expect(decideRest(e, 'PUT', '/v1/x/y')).toBeNull();
    expect(decideRest(e, 'DELETE', '/v1/admin/users')).toBe(
      'DELETE /v1/admin/users blocked by deny rule',
    );
    expect(decideRest(e, 'GET', '/v2')).toBe('GET /v2 not permitted by policy');
  });
});

describe('OCSF shorthand lines', () => {
  it('prints the port only when it is not the scheme default', () => {
    expect(ocsfUrl('http', 'a.test', 80, '/x')).toBe('http://a.test/x');
    expect(ocsfUrl('http', 'a.test', 443, '/x')).toBe('http://a.test:443/x');
  });

  it('round-trips through the denial parser nemoclaw logs uses', () => {
    const net = netOpen({ allowed: false, binary: '/usr/bin/curl', pid: '64', host: 'httpbin.org', port: 443, policy: '-', reason: 'r1' });
    expect(net).toBe('NET:OPEN [MED] DENIED /usr/bin/curl(64) -> httpbin.org:443 [policy:- engine:opa] [reason:r1]');
    expect(parseDenialMessage(net)).toMatchObject({ binary: '/usr/bin/curl', host: 'httpbin.org', port: 443, reason: 'r1' });
    const fwd = httpForward({ allowed: false, binary: '/bin/busybox', pid: '7', method: 'GET', host: 'a.test', port: 8080, path: '/p?q=1', policy: '-', reason: 'r2' });
    expect(parseDenialMessage(fwd)).toMatchObject({ binary: '/bin/busybox', host: 'a.test', port: 8080, method: 'GET', path: '/p' });
    const l7 = httpL7({ decision: 'deny', method: 'POST', host: 'api.github.com', port: 443, path: '/user/repos', policy: 'github', reason: 'POST /user/repos not permitted by policy' });
    expect(parseDenialMessage(l7)).toMatchObject({ host: 'api.github.com', port: 443, method: 'POST', path: '/user/repos', engine: 'l7', policy: 'github' });
    expect(httpL7({ decision: 'allow', method: 'GET', host: 'h', port: 80, path: '/', policy: 'p', reason: 'x' })).toBe(
      'HTTP:GET [INFO] ALLOWED GET http://h/ [policy:p engine:l7]',
    );
  }); // prettier-ignore
});

describe('credentials and routing', () => {
  it('gives placeholders to the sandbox and resolves only known ones', () => {
    expect(placeholderEnv(['TOKEN'])).toEqual({ TOKEN: 'openshell:resolve:env:TOKEN' });
    expect(
      resolvePlaceholders('/botopenshell:resolve:env:TOKEN/x openshell:resolve:env:OTHER', {
        TOKEN: 's3',
      }),
    ).toBe('/bots3/x openshell:resolve:env:OTHER');
  });

  it('joins base URL and path without a doubled /v1 (router build_backend_url)', () => {
    expect(backendUrl('http://127.0.0.1:9/v1', '/v1/chat/completions')).toBe('http://127.0.0.1:9/v1/chat/completions');
    expect(backendUrl('https://api.deepinfra.com/v1/openai', '/v1/models')).toBe('https://api.deepinfra.com/v1/openai/models');
    expect(backendUrl('http://proxy/api/v1/openai', '/v1/x')).toBe('http://proxy/api/v1/openai/v1/x');
    expect(backendUrl('http://h:1', '/v1/messages')).toBe('http://h:1/v1/messages');
  }); // prettier-ignore

  it('reads the simulated hosts map', () => {
    const m = hostMap('a.test:443=http://127.0.0.1:5, B.test:80=https://127.0.0.1:6/base');
    expect(m.get('a.test:443')?.href).toBe('http://127.0.0.1:5/');
    expect(m.get('b.test:80')?.pathname).toBe('/base');
  });
});
