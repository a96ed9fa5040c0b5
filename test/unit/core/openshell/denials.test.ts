import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPresets } from '../../../../src/adapters/policy/assets.ts';
import {
  customPolicyFor,
  describeRemedy,
  parseDenialLine,
  parseDenialMessage,
  remedyFor,
} from '../../../../src/core/openshell/denials.ts';
import { parseCustomPolicyFile } from '../../../../src/core/policy/parse.ts';
import type { NetworkPolicies } from '../../../../src/core/policy/schema.ts';

const presets = await loadPresets(resolve(import.meta.dirname, '../../../..'));

describe('parsing OpenShell denial lines', () => {
  it('reads a CONNECT denial (NET:OPEN) as the CLI prints it', () => {
    const line =
      '[1775014132.690] [sandbox] [OCSF ] [ocsf] NET:OPEN [MED] DENIED /usr/bin/curl(64) -> httpbin.org:443 [policy:- engine:opa] [reason:endpoint httpbin.org:443 is not allowed by any policy]';
    expect(parseDenialLine(line)).toEqual({
      binary: '/usr/bin/curl',
      host: 'httpbin.org',
      port: 443,
      policy: '-',
      engine: 'opa',
      reason: 'endpoint httpbin.org:443 is not allowed by any policy',
    });
  });

  it('reads a forward-proxy denial with method and path, default port', () => {
    const d = parseDenialMessage(
      'HTTP:GET [MED] DENIED /bin/busybox(12) -> GET http://denied.test/x [policy:- engine:opa] [reason:endpoint denied.test:80 is not allowed by any policy]',
    );
    expect(d).toMatchObject({
      binary: '/bin/busybox',
      host: 'denied.test',
      port: 80,
      method: 'GET',
      path: '/x',
    });
  });

  it('reads an L7 denial (no actor, the endpoint port in the URL, a reason with brackets)', () => {
    const d = parseDenialMessage(
      'HTTP:POST [MED] DENIED POST http://api.github.com:443/user/repos [policy:github engine:l7] [reason:L7_REQUEST deny POST api.github.com:443/user/repos reason=POST /user/repos not permitted by policy]',
    );
    expect(d).toEqual({
      binary: undefined,
      host: 'api.github.com',
      port: 443,
      method: 'POST',
      path: '/user/repos',
      policy: 'github',
      engine: 'l7',
      reason:
        'L7_REQUEST deny POST api.github.com:443/user/repos reason=POST /user/repos not permitted by policy',
    });
  });

  it('reads the log-file form and treats an unknown binary as unknown', () => {
    const d = parseDenialLine(
      '2026-04-01T04:04:32.690Z OCSF NET:OPEN [MED] DENIED -(-) -> pypi.org:443 [policy:- engine:opa] [reason:x]',
    );
    expect(d).toMatchObject({ binary: undefined, host: 'pypi.org', port: 443 });
  });

  it('ignores allowed events, other levels and other text', () => {
    for (const line of [
      '[1775014132.118] [sandbox] [OCSF ] [ocsf] NET:OPEN [INFO] ALLOWED /usr/bin/curl(58) -> api.github.com:443 [policy:github_api engine:opa]',
      '[1775014132.118] [sandbox] [INFO ] [process] NET:OPEN [MED] DENIED /usr/bin/curl(1) -> a.b:443 [policy:- engine:opa]',
      '[1775014113.058] [sandbox] [INFO ] [openshell_sandbox] Starting sandbox',
      'DENIED something',
    ]) {
      expect(parseDenialLine(line)).toBeUndefined();
    }
  });
});

describe('what would allow a denial', () => {
  it('names the preset that allows the host for the calling binary', () => {
    const d = parseDenialMessage(
      'NET:OPEN [MED] DENIED /usr/bin/node(9) -> registry.npmjs.org:443 [policy:- engine:opa] [reason:r]',
    )!;
    const r = remedyFor(d, presets);
    expect(r).toEqual({ kind: 'preset', presets: ['npm'] });
    expect(describeRemedy('my-sb', d, r)).toEqual([
      '  → registry.npmjs.org:443 from /usr/bin/node is allowed by preset npm: nemoclaw my-sb policy-add npm',
    ]);
  });

  it('checks L7 method and path against the preset rules', () => {
    const post = parseDenialMessage(
      'HTTP:POST [MED] DENIED POST http://uploads.github.com:443/repos/o/r/releases [policy:x engine:l7] [reason:r]',
    )!;
    expect(remedyFor(post, presets)).toEqual({ kind: 'preset', presets: ['github'] });
    const del = { ...post, method: 'DELETE' };
    expect(remedyFor(del, presets).kind).toBe('custom');
  });

  it('does not offer a preset whose binaries exclude the caller', () => {
    const d = parseDenialMessage(
      'NET:OPEN [MED] DENIED /bin/busybox(9) -> registry.npmjs.org:443 [policy:- engine:opa] [reason:r]',
    )!;
    expect(remedyFor(d, presets).kind).toBe('custom');
  });

  it('says when the live policy already allows it', () => {
    const d = parseDenialMessage(
      'NET:OPEN [MED] DENIED /usr/bin/node(9) -> api.example.com:443 [policy:- engine:opa] [reason:r]',
    )!;
    const live: NetworkPolicies = {
      ex: {
        endpoints: [{ host: 'api.example.com', port: 443 }],
        binaries: [{ path: '/usr/bin/node' }],
      },
    };
    expect(remedyFor(d, presets, live)).toEqual({ kind: 'live' });
  });

  it('writes a custom policy that policy-add --from-file accepts and that allows the request', () => {
    const l7 = parseDenialMessage(
      'HTTP:PUT [MED] DENIED PUT http://api.example.com:443/v1/items/7 [policy:ex engine:l7] [reason:r]',
    )!;
    const file = parseCustomPolicyFile(
      customPolicyFor({ ...l7, binary: '/usr/bin/node' }),
      'allow.yaml',
    );
    expect(file.network_policies).toEqual({
      allow_api_example_com_443: {
        endpoints: [
          {
            host: 'api.example.com',
            port: 443,
            protocol: 'rest',
            enforcement: 'enforce',
            rules: [{ allow: { method: 'PUT', path: '/v1/items/7' } }],
          },
        ],
        binaries: [{ path: '/usr/bin/node' }],
      },
    });
    expect(remedyFor({ ...l7, binary: '/usr/bin/node' }, [], file.network_policies)).toEqual({
      kind: 'live',
    });
    // An L7 line names no process; the matched policy's binaries are the ones that got there.
    const live: NetworkPolicies = {
      ex: {
        endpoints: [
          {
            host: 'api.example.com',
            port: 443,
            protocol: 'rest',
            enforcement: 'enforce',
            access: 'read-only',
          },
        ],
        binaries: [{ path: '/usr/bin/node' }],
      },
    };
    const withLive = remedyFor(l7, presets, live);
    expect(withLive.kind === 'custom' && withLive.yaml).toContain('- path: /usr/bin/node');
    expect(describeRemedy('sb', l7, withLive).join('\n')).not.toContain('did not name');
    const lines = describeRemedy('sb', l7, remedyFor(l7, presets));
    expect(lines[0]).toContain('policy-add --from-file allow.yaml');
    expect(lines.at(-1)).toContain('did not name the calling binary');
  });
});
