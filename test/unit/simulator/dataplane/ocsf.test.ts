/** The simulator data plane's pure parts: the egress decision, the OCSF lines, placeholders. */
import { describe, expect, it } from 'vitest';
import { httpForward, httpL7, netOpen, ocsfUrl } from '../../../simulator/dataplane/ocsf.ts';
import { parseDenialMessage } from '../../../../src/core/openshell/denials.ts';

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
