/** The simulator data plane's pure parts: the egress decision, the OCSF lines, placeholders. */
import { describe, expect, it } from 'vitest';
import type { NetworkPolicy } from '../../../simulator/dataplane/rules.ts';
import { decideL4, decideRest, globMatch } from '../../../simulator/dataplane/rules.ts';

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
