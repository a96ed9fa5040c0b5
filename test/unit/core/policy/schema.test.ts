import { describe, expect, it } from 'vitest';
import { formatYamlPath } from '../../../../src/core/policy/parse.ts';
import { isValidSandboxIdentity } from '../../../../src/core/policy/schema.ts';
import { hostWildcardProblem } from '../../../../src/core/policy/endpoint-rules.ts';
import { problems, STATIC, withEndpoint } from '../../../helpers/policy-texts.ts';

describe('policy schema: accepted', () => {
  const ok: [string, string][] = [
    ['static sections only', STATIC],
    ['version only', 'version: 1\n'],
    ['L4 endpoint', withEndpoint('{ host: example.com, port: 443 }')],
    ['ports list', withEndpoint('{ host: example.com, ports: [80, 443] }')],
    [
      'rest + access',
      withEndpoint(
        '{ host: a.example.com, port: 443, protocol: rest, enforcement: enforce, access: read-only }',
      ),
    ],
    [
      'rest + rules',
      withEndpoint(
        '{ host: a.example.com, port: 443, protocol: rest, rules: [{ allow: { method: GET, path: "/**" } }] }',
      ),
    ],
    [
      'rest + deny',
      withEndpoint(
        '{ host: a.example.com, port: 443, protocol: rest, access: full, deny_rules: [{ method: POST, path: "/x" }] }',
      ),
    ],
    [
      'query matchers',
      withEndpoint(
        '{ host: a.example.com, port: 443, protocol: rest, rules: [{ allow: { method: GET, path: "/**", query: { tag: "v*", x: { any: [a, b] } } } }] }',
      ),
    ],
    ['wildcard host', withEndpoint('{ host: "*.example.com", port: 443 }')],
    ['recursive wildcard host', withEndpoint('{ host: "**.example.com", port: 443 }')],
    ['intra-label wildcard', withEndpoint('{ host: "*-api.example.com", port: 443 }')],
    ['middle label wildcard', withEndpoint('{ host: "api.*.example.com", port: 443 }')],
    ['tcp with DNS host', withEndpoint('{ host: db.example.com, port: 5432, protocol: tcp }')],
    ['hostless allowed_ips', withEndpoint('{ port: 8080, allowed_ips: [10.0.0.0/8] }')],
    [
      'mcp allow-all',
      withEndpoint(
        '{ host: m.example.com, port: 443, protocol: mcp, mcp: { allow_all_known_mcp_methods: true } }',
      ),
    ],
    [
      'json-rpc rules',
      withEndpoint(
        '{ host: j.example.com, port: 443, protocol: json-rpc, rules: [{ allow: { method: "*" } }] }',
      ),
    ],
    [
      'graphql rules',
      withEndpoint(
        '{ host: g.example.com, port: 443, protocol: graphql, rules: [{ allow: { operation_type: query } }] }',
      ),
    ],
    ['numeric identity (quoted)', STATIC.replace('run_as_user: sandbox', 'run_as_user: "1500"')],
    [
      'deprecated tls terminate',
      withEndpoint('{ host: a.example.com, port: 443, tls: terminate }'),
    ],
    [
      'deprecated binary harness',
      withEndpoint('{ host: a.example.com, port: 443 }').replace(
        '{ path: /usr/bin/curl }',
        '{ path: /usr/bin/curl, harness: true }',
      ),
    ],
    [
      'upper-case protocol',
      withEndpoint('{ host: a.example.com, port: 443, protocol: REST, access: full }'),
    ],
  ];
  it.each(ok)('%s', (_name, text) => {
    expect(problems(text)).toEqual([]);
  });
});

describe('policy schema: helpers', () => {
  it.each([
    ['sandbox', true],
    ['1', true],
    ['4294967294', true],
    ['0', false],
    ['4294967295', false],
    ['root', false],
    ['nobody', false],
    ['', false],
    ['-1', false],
  ])('identity %s → %s', (v, ok) => expect(isValidSandboxIdentity(v)).toBe(ok));

  it.each([
    ['example.com', undefined],
    ['*.example.com', undefined],
    ['**.example.com', undefined],
    ['*.com', /TLD/],
    ['**.com', /TLD/],
    ['a**.example.com', /whole first label/],
    ['api.*.example.com', undefined],
    ['api.x*.example.com', /whole label/],
  ])('host %s', (host, want) => {
    const p = hostWildcardProblem(host);
    if (want === undefined) expect(p).toBeUndefined();
    else expect(p).toMatch(want);
  });

  it.each([
    [['a', 'b', 0, 'c'], 'a.b[0].c'],
    [['network_policies', 'x.y'], 'network_policies["x.y"]'],
    [[], '(document)'],
  ])('formats path %j', (path, want) => expect(formatYamlPath(path)).toBe(want));
});
