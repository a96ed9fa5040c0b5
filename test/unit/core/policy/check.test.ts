import { describe, expect, it } from 'vitest';
import {
  checkRequest,
  presetsThatAllow,
  requestFromUrl,
  type CheckRequest,
} from '../../../../src/core/policy/check.ts';
import { parsePolicy } from '../../../../src/core/policy/parse.ts';
import type { NetworkPolicies } from '../../../../src/core/policy/schema.ts';

describe('requestFromUrl', () => {
  it.each([
    [
      'https://API.github.com/repos/o/r?x=1&x=2',
      { host: 'api.github.com', port: 443, path: '/repos/o/r', query: { x: ['1', '2'] } },
    ],
    ['http://example.com', { host: 'example.com', port: 80, path: '/' }],
    ['https://example.com:8443/a%20b', { port: 8443, path: '/a b' }],
    ['wss://gateway.discord.gg/?v=10', { port: 443, path: '/' }],
  ])('%s', (url, want) => expect(requestFromUrl(url)).toMatchObject(want));
  it('rejects other schemes and garbage', () => {
    expect(() => requestFromUrl('ftp://x.example.com/')).toThrow(/unsupported scheme/);
    expect(() => requestFromUrl('not a url')).toThrow();
  });
  it('upper-cases the method', () => {
    expect(requestFromUrl('https://a.example.com/', { method: 'post' }).method).toBe('POST');
  });
});

const POLICY = parsePolicy(
  `version: 1
network_policies:
  github:
    endpoints:
      - host: api.github.com
        port: 443
        protocol: rest
        enforcement: enforce
        access: read-write
        deny_rules:
          - { method: PUT, path: "/repos/*/*/branches/*/protection" }
          - { method: "*", path: "/admin/**" }
      - host: github.com
        port: 443
        protocol: rest
        enforcement: enforce
        rules:
          - allow: { method: GET, path: "/**" }
          - allow: { method: POST, path: "/**/git-upload-pack" }
    binaries: [{ path: /usr/bin/git }, { path: /usr/bin/python3* }]
  telegram:
    endpoints:
      - host: api.telegram.org
        port: 443
        protocol: rest
        enforcement: enforce
        rules:
          - allow: { method: POST, path: "/bot*/**" }
          - allow: { method: GET, path: "/search", query: { q: "ok-*" } }
    binaries: [{ path: /usr/bin/node }]
  wild:
    endpoints:
      - { host: "*.atlassian.net", port: 443, protocol: rest, enforcement: enforce, access: read-only }
    binaries: [{ path: /usr/bin/curl }]
  raw_tcp:
    endpoints:
      - { host: db.example.com, ports: [5432, 6432] }
    binaries: [{ path: /usr/bin/psql }]
  audit:
    endpoints:
      - { host: audit.example.com, port: 443, protocol: rest, access: read-only }
    binaries: [{ path: /usr/bin/curl }]
  scoped:
    endpoints:
      - { host: multi.example.com, port: 443, path: "/api/**", protocol: rest, enforcement: enforce, access: full }
    binaries: [{ path: /usr/bin/curl }]
  hostless:
    endpoints:
      - { port: 9000, allowed_ips: [10.0.0.0/8] }
    binaries: [{ path: /usr/bin/curl }]
`,
  'check.yaml',
).policy.network_policies as NetworkPolicies;

function req(url: string, method = 'GET', binary?: string, ancestors?: string[]): CheckRequest {
  return { ...requestFromUrl(url, { method, binary }), ancestors };
}

describe('checkRequest', () => {
  const cases: [string, CheckRequest, string, string?][] = [
    [
      'access read-write allows GET',
      req('https://api.github.com/repos/o/r'),
      'allow',
      'github/0/access: read-write',
    ],
    [
      'access read-write allows PATCH',
      req('https://api.github.com/repos/o/r', 'PATCH'),
      'allow',
      'github/0/access: read-write',
    ],
    [
      'access read-write refuses DELETE',
      req('https://api.github.com/repos/o/r', 'DELETE'),
      'deny:l7',
    ],
    [
      'deny rule beats access',
      req('https://api.github.com/repos/o/r/branches/main/protection', 'PUT'),
      'deny:deny-rule',
      'github/0/deny_rules[0]',
    ],
    [
      'deny rule with * method',
      req('https://api.github.com/admin/users', 'GET'),
      'deny:deny-rule',
      'github/0/deny_rules[1]',
    ],
    ['rules: GET /**', req('https://github.com/o/r'), 'allow', 'github/1/rules[0]'],
    [
      'rules: HEAD matches a GET rule',
      req('https://github.com/o/r', 'HEAD'),
      'allow',
      'github/1/rules[0]',
    ],
    [
      'rules: ** in the middle',
      req('https://github.com/o/r.git/git-upload-pack', 'POST'),
      'allow',
      'github/1/rules[1]',
    ],
    ['rules: POST elsewhere refused', req('https://github.com/o/r/issues', 'POST'), 'deny:l7'],
    ['binary listed', req('https://github.com/o/r', 'GET', '/usr/bin/git'), 'allow'],
    ['binary glob', req('https://github.com/o/r', 'GET', '/usr/bin/python3.12'), 'allow'],
    ['binary not listed', req('https://github.com/o/r', 'GET', '/usr/bin/curl'), 'deny:binary'],
    [
      'binary allowed through an ancestor',
      req('https://github.com/o/r', 'GET', '/usr/lib/git-core/git-remote-https', ['/usr/bin/git']),
      'allow',
    ],
    [
      'path glob * within a segment',
      req('https://api.telegram.org/bot123:x/sendMessage', 'POST'),
      'allow',
      'telegram/0/rules[0]',
    ],
    [
      'path glob does not match other prefixes',
      req('https://api.telegram.org/file/bot1/x', 'POST'),
      'deny:l7',
    ],
    ['method mismatch', req('https://api.telegram.org/bot1/getMe', 'GET'), 'deny:l7'],
    [
      'query matcher ok',
      req('https://api.telegram.org/search?q=ok-1'),
      'allow',
      'telegram/0/rules[1]',
    ],
    ['query matcher fails', req('https://api.telegram.org/search?q=bad'), 'deny:l7'],
    ['query missing', req('https://api.telegram.org/search'), 'deny:l7'],
    [
      'wildcard host',
      req('https://acme.atlassian.net/rest/api/3/issue'),
      'allow',
      'wild/0/access: read-only',
    ],
    ['wildcard host is one label', req('https://a.b.atlassian.net/'), 'deny:no-endpoint'],
    ['wildcard host does not match the apex', req('https://atlassian.net/'), 'deny:no-endpoint'],
    ['read-only refuses POST', req('https://acme.atlassian.net/rest', 'POST'), 'deny:l7'],
    ['host case-insensitive', req('https://API.GITHUB.COM/x'), 'allow'],
    ['wrong port', req('https://api.github.com:8443/x'), 'deny:no-endpoint'],
    [
      'L4 endpoint: any method, either port',
      req('http://db.example.com:6432/x', 'DELETE'),
      'allow',
      'raw_tcp/0/L4',
    ],
    ['unknown host', req('https://example.org/'), 'deny:no-endpoint'],
    [
      'audit enforcement (default): logged, not blocked',
      req('https://audit.example.com/x', 'POST'),
      'allow',
      'audit/0/audit',
    ],
    [
      'endpoint path selects',
      req('https://multi.example.com/api/v1', 'DELETE'),
      'allow',
      'scoped/0/access: full',
    ],
    ['endpoint path does not select', req('https://multi.example.com/other'), 'deny:l7'],
    [
      'hostless allowed_ips endpoint matches any host on its port',
      req('http://svc.internal:9000/'),
      'allow',
      'hostless/0/L4',
    ],
  ];
  it.each(cases)('%s', (_n, r, want, by) => {
    const d = checkRequest(POLICY, r);
    const got = d.decision === 'allow' ? 'allow' : `deny:${d.reason}`;
    expect(got).toBe(want);
    if (by && 'by' in d) expect(`${d.by.key}/${d.by.endpoint}/${d.by.rule}`).toBe(by);
  });

  it('reports the allowed binaries when the binary is wrong', () => {
    const d = checkRequest(POLICY, req('https://github.com/', 'GET', '/usr/bin/curl'));
    expect(d).toMatchObject({
      reason: 'binary',
      keys: ['github'],
      binaries: ['/usr/bin/git', '/usr/bin/python3*'],
    });
  });

  it('deny wins across entries', () => {
    const policies = parsePolicy(
      `version: 1
network_policies:
  a:
    endpoints: [{ host: x.example.com, port: 443, protocol: rest, enforcement: enforce, access: full }]
    binaries: [{ path: /usr/bin/curl }]
  b:
    endpoints: [{ host: x.example.com, port: 443, protocol: rest, enforcement: enforce, access: full, deny_rules: [{ method: DELETE, path: "/**" }] }]
    binaries: [{ path: /usr/bin/curl }]
`,
      'x',
    ).policy.network_policies!;
    expect(checkRequest(policies, req('https://x.example.com/y', 'DELETE'))).toMatchObject({
      decision: 'deny',
      reason: 'deny-rule',
      by: { key: 'b' },
    });
  });

  it('names the presets that would allow a request', () => {
    const presets: { name: string; entries: NetworkPolicies }[] = [
      { name: 'tg', entries: { t: POLICY.telegram! } },
      { name: 'gh', entries: { g: POLICY.github! } },
    ];
    expect(presetsThatAllow(presets, req('https://github.com/o/r'))).toEqual(['gh']);
    expect(presetsThatAllow(presets, req('https://example.org/'))).toEqual([]);
  });
});
