import { describe, expect, it } from 'vitest';
import { isRemoteEntry, localGatewayPort } from '../../../../src/core/ops/gateway-of.ts';

describe('gateway of an entry', () => {
  it('local unless the URL is not loopback', () => {
    expect(isRemoteEntry({})).toBe(false);
    expect(isRemoteEntry({ gatewayUrl: 'http://127.0.0.1:8080' })).toBe(false);
    expect(isRemoteEntry({ gatewayUrl: 'https://openshell.example.com' })).toBe(true);
  });
  it('port from the URL, else env, else 8080', () => {
    expect(localGatewayPort({ gatewayUrl: 'http://127.0.0.1:9123' }, {})).toBe(9123);
    expect(localGatewayPort({}, { NEMOCLAW_GATEWAY_PORT: '9000' })).toBe(9000);
    expect(localGatewayPort({}, {})).toBe(8080);
  });
});
