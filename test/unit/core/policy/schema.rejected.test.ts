import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../../src/core/policy/parse.ts';
import { problems, STATIC, withEndpoint } from '../../../helpers/policy-texts.ts';

describe('policy schema: rejected, with YAML path and line', () => {
  const bad: [string, string, string, RegExp][] = [
    ['no version', STATIC.replace('version: 1\n', ''), 'version', /required/],
    ['version 2', STATIC.replace('version: 1', 'version: 2'), 'version', /must be 1/],
    ['unknown top-level key', `${STATIC}extra: 1\n`, 'extra', /unknown key "extra"/],
    [
      'unknown filesystem key',
      STATIC.replace('include_workdir', 'include_wrkdir'),
      'filesystem_policy.include_wrkdir',
      /unknown key/,
    ],
    [
      'unknown endpoint key',
      withEndpoint('{ host: a.example.com, port: 443, acess: full }'),
      'network_policies.api.endpoints[0].acess',
      /unknown key/,
    ],
    [
      'unknown binary key',
      withEndpoint('{ host: a.example.com, port: 443 }').replace(
        '{ path: /usr/bin/curl }',
        '{ path: /usr/bin/curl, sha: x }',
      ),
      'network_policies.api.binaries[0].sha',
      /unknown key/,
    ],
    [
      'unknown rule key',
      withEndpoint(
        '{ host: a.example.com, port: 443, protocol: rest, rules: [{ allow: { method: GET, path: "/", verb: GET } }] }',
      ),
      'network_policies.api.endpoints[0].rules[0].allow.verb',
      /unknown key/,
    ],
    [
      'relative path',
      STATIC.replace('/lib,', 'lib,'),
      'filesystem_policy.read_only[1]',
      /absolute/,
    ],
    [
      '.. in path',
      STATIC.replace('/lib,', '/usr/../etc,'),
      'filesystem_policy.read_only[1]',
      /\.\./,
    ],
    [
      '/ read-write',
      STATIC.replace('[/sandbox, /tmp]', '[/, /tmp]'),
      'filesystem_policy.read_write[0]',
      /too broad/,
    ],
    [
      'path too long',
      STATIC.replace('/etc]', `/${'a'.repeat(4100)}]`),
      'filesystem_policy.read_only[2]',
      /4096/,
    ],
    [
      'root user',
      STATIC.replace('run_as_user: sandbox', 'run_as_user: root'),
      'process.run_as_user',
      /root/,
    ],
    [
      'uid 0',
      STATIC.replace('run_as_group: sandbox', 'run_as_group: "0"'),
      'process.run_as_group',
      /root/,
    ],
    [
      'unknown landlock mode',
      STATIC.replace('best_effort', 'strict'),
      'landlock.compatibility',
      /best_effort/,
    ],
    [
      'rules: []',
      withEndpoint('{ host: a.example.com, port: 443, protocol: rest, rules: [] }'),
      'network_policies.api.endpoints[0].rules',
      /rules: \[\]/,
    ],
    [
      'deny_rules: []',
      withEndpoint(
        '{ host: a.example.com, port: 443, protocol: rest, access: full, deny_rules: [] }',
      ),
      'network_policies.api.endpoints[0].deny_rules',
      /deny_rules: \[\]/,
    ],
    [
      'rest without access or rules',
      withEndpoint('{ host: a.example.com, port: 443, protocol: rest }'),
      'network_policies.api.endpoints[0].protocol',
      /requires rules or access/,
    ],
    [
      'access and rules',
      withEndpoint(
        '{ host: a.example.com, port: 443, protocol: rest, access: full, rules: [{ allow: { method: GET, path: "/" } }] }',
      ),
      'network_policies.api.endpoints[0].access',
      /mutually exclusive/,
    ],
    [
      'unknown access',
      withEndpoint('{ host: a.example.com, port: 443, protocol: rest, access: everything }'),
      'network_policies.api.endpoints[0].access',
      /read-only/,
    ],
    [
      'unknown protocol',
      withEndpoint('{ host: a.example.com, port: 443, protocol: ftp }'),
      'network_policies.api.endpoints[0].protocol',
      /protocol must be one of/,
    ],
    [
      'deny without protocol',
      withEndpoint('{ host: a.example.com, port: 443, deny_rules: [{ method: GET, path: "/" }] }'),
      'network_policies.api.endpoints[0].deny_rules',
      /L7 protocol/,
    ],
    [
      'rules deny everything',
      withEndpoint('{ host: a.example.com, port: 443, protocol: rest, rules: [{ allow: {} }] }'),
      'network_policies.api.endpoints[0].rules',
      /deny all/,
    ],
    [
      'REST rule without path',
      withEndpoint(
        '{ host: a.example.com, port: 443, protocol: rest, rules: [{ allow: { method: GET } }] }',
      ),
      'network_policies.api.endpoints[0].rules[0].allow.path',
      /path/,
    ],
    [
      'tcp with access',
      withEndpoint('{ host: db.example.com, port: 5432, protocol: tcp, access: full }'),
      'network_policies.api.endpoints[0].protocol',
      /tcp does not support/,
    ],
    [
      'tcp with enforcement',
      withEndpoint('{ host: db.example.com, port: 5432, protocol: tcp, enforcement: enforce }'),
      'network_policies.api.endpoints[0].enforcement',
      /L7-only/,
    ],
    [
      'tcp with path',
      withEndpoint('{ host: db.example.com, port: 5432, protocol: tcp, path: /x }'),
      'network_policies.api.endpoints[0].path',
      /L7-only/,
    ],
    [
      'tcp with IP literal',
      withEndpoint('{ host: 10.0.0.5, port: 5432, protocol: tcp }'),
      'network_policies.api.endpoints[0].host',
      /IP literal/,
    ],
    [
      'tcp hostless',
      withEndpoint('{ port: 5432, protocol: tcp, allowed_ips: [10.0.0.0/8] }'),
      'network_policies.api.endpoints[0].host',
      /DNS host/,
    ],
    [
      'no host',
      withEndpoint('{ port: 443 }'),
      'network_policies.api.endpoints[0].host',
      /must not be empty/,
    ],
    [
      'no port',
      withEndpoint('{ host: a.example.com }'),
      'network_policies.api.endpoints[0].port',
      /port/,
    ],
    [
      'port 0',
      withEndpoint('{ host: a.example.com, port: 0 }'),
      'network_policies.api.endpoints[0].port',
      /1-65535/,
    ],
    [
      'port 70000',
      withEndpoint('{ host: a.example.com, port: 70000 }'),
      'network_policies.api.endpoints[0].port',
      /1-65535/,
    ],
    [
      'TLD wildcard',
      withEndpoint('{ host: "*.com", port: 443 }'),
      'network_policies.api.endpoints[0].host',
      /TLD wildcard/,
    ],
    [
      'bare *',
      withEndpoint('{ host: "*", port: 443 }'),
      'network_policies.api.endpoints[0].host',
      /every destination/,
    ],
    [
      'wildcard in later label',
      withEndpoint('{ host: "api.ex*.com", port: 443 }'),
      'network_policies.api.endpoints[0].host',
      /whole label/,
    ],
    [
      'path not absolute',
      withEndpoint('{ host: a.example.com, port: 443, protocol: rest, access: full, path: repos }'),
      'network_policies.api.endpoints[0].path',
      /start with/,
    ],
    [
      'sql enforce',
      withEndpoint(
        '{ host: db.example.com, port: 5432, protocol: sql, enforcement: enforce, access: full }',
      ),
      'network_policies.api.endpoints[0].enforcement',
      /audit/,
    ],
    [
      'mcp options without mcp',
      withEndpoint(
        '{ host: a.example.com, port: 443, protocol: rest, access: full, mcp: { max_body_bytes: 10 } }',
      ),
      'network_policies.api.endpoints[0].mcp',
      /protocol: mcp/,
    ],
    [
      'json-rpc with access',
      withEndpoint('{ host: a.example.com, port: 443, protocol: json-rpc, access: full }'),
      'network_policies.api.endpoints[0].access',
      /access presets/,
    ],
    [
      'signing without service',
      withEndpoint(
        '{ host: a.example.com, port: 443, protocol: rest, access: full, credential_signing: sigv4 }',
      ),
      'network_policies.api.endpoints[0].signing_service',
      /signing_service/,
    ],
    [
      'reserved key',
      `${STATIC}network_policies:\n  _provider_x:\n    endpoints: [{ host: a.example.com, port: 443 }]\n`,
      'network_policies._provider_x',
      /reserved/,
    ],
    [
      'string port',
      withEndpoint('{ host: a.example.com, port: "443" }'),
      'network_policies.api.endpoints[0].port',
      /number/,
    ],
    [
      'ambiguous overlapping endpoints',
      withEndpoint(
        '{ host: a.example.com, port: 443, protocol: rest, enforcement: enforce, access: full }',
        '  other:\n    endpoints: [{ host: "*.example.com", port: 443, protocol: rest, enforcement: audit, access: full }]\n',
      ),
      'network_policies.other.endpoints[0]',
      /conflicting settings \(enforcement/,
    ],
  ];
  it.each(bad)('%s', (_name, text, path, message) => {
    const ps = problems(text);
    const p = ps.find((x) => x.path === path);
    expect(p, JSON.stringify(ps)).toBeDefined();
    expect(p!.message).toMatch(message);
    expect(p!.line).toBeGreaterThan(0);
  });

  it('names the line of the offending key', () => {
    const text = withEndpoint('{ host: a.example.com, port: 443 }').replace(
      'binaries:',
      'binarys:',
    );
    const p = problems(text).find((x) => x.path === 'network_policies.api.binarys')!;
    expect(p.line).toBe(text.split('\n').findIndex((l) => l.includes('binarys')) + 1);
  });

  it('formats errors as file:line:col: path: message', () => {
    expect(() => parsePolicy(`${STATIC}bogus: true\n`, 'live.yaml')).toThrow(
      /live\.yaml:11:1: bogus: unknown key "bogus"/,
    );
  });

  it.each([
    ['syntax error', 'version: 1\nfoo: [\n'],
    ['duplicate keys', 'version: 1\nversion: 1\n'],
    ['tab indentation', 'version: 1\nprocess:\n\trun_as_user: sandbox\n'],
  ])('rejects malformed YAML: %s', (_n, text) => {
    expect(() => parsePolicy(text, 'x.yaml')).toThrow(/x\.yaml:\d+:\d+: \(yaml\)/);
  });
});
