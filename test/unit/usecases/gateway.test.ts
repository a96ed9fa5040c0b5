import { describe, expect, it } from 'vitest';
import { gatewayMode, validateGatewayUrl } from '../../../src/usecases/gateway.ts';

describe('remote gateway URL', () => {
  it('validates and warns about plaintext off-host', () => {
    expect(validateGatewayUrl('https://openshell.example.com/')).toEqual({
      url: 'https://openshell.example.com',
      warnings: [],
    });
    expect(validateGatewayUrl('http://10.0.0.9:8080').warnings[0]).toMatch(/plaintext/);
    expect(validateGatewayUrl('http://127.0.0.1:8080').warnings).toEqual([]);
    expect(() => validateGatewayUrl('grpc://x')).toThrow(/http or https/);
    expect(() => validateGatewayUrl('https://u:p@x')).toThrow(/credentials/);
    expect(() => validateGatewayUrl('nope')).toThrow(/not a URL/);
  });
  it('flag wins over env', () => {
    expect(gatewayMode({}, {})).toEqual({ mode: 'local' });
    expect(gatewayMode({}, { NEMOCLAW_GATEWAY_URL: 'https://a' })).toEqual({
      mode: 'remote',
      url: 'https://a',
    });
    expect(gatewayMode({ gatewayUrl: 'https://b' }, { NEMOCLAW_GATEWAY_URL: 'https://a' })).toEqual(
      { mode: 'remote', url: 'https://b' },
    );
  });
});
