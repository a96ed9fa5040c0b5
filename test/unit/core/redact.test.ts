import { afterEach, describe, expect, it } from 'vitest';
import {
  clearKnownSecrets,
  redact,
  redactValue,
  registerSecret,
  registerSecretsFromEnv,
  REDACTED,
} from '../../../src/core/redact.ts';

afterEach(() => clearKnownSecrets());

describe('redact: secret shapes', () => {
  const cases: [string, string][] = [
    ['nvapi-abcdefghijklmnop1234', 'nvapi'],
    ['nvcf-ABCDEFGHIJKL1234', 'nvcf'],
    ['ghp_abcdefghijklmnopqrstuvwxyz012345', 'ghp'],
    ['github_pat_11ABCDEFG0123456789_abcdefghij', 'github_pat'],
    ['sk-proj-abcdefghijklmnop', 'sk-proj'],
    ['sk-ant-api03-abcdefghijkl', 'sk-ant'],
    ['sk-abcdefghijklmnopqrstu', 'sk-'],
    ['xoxb-1234567890-abcdefghij', 'xoxb'],
    ['xapp-1-A0123456789-abcdef', 'xapp'],
    ['AKIAABCDEFGHIJKLMNOP', 'AKIA'],
    ['hf_abcdefghijklmnopqrstuv', 'hf_'],
    ['glpat-abcdefghijklmnopqrst', 'glpat'],
    ['gsk_abcdefghijklmnopqrstuv', 'gsk_'],
    ['pypi-AgEIcHlwaS5vcmcabcdefgh', 'pypi'],
    ['tvly-abcdefghijkl', 'tvly'],
    ['123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq', 'telegram'],
  ];
  it.each(cases)('masks %s (%s)', (secret) => {
    const out = redact(`before ${secret} after`);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
    expect(out.startsWith('before ')).toBe(true);
    expect(out.endsWith(' after')).toBe(true);
  });

  it('masks Bearer tokens and x-api-key headers but keeps the label', () => {
    expect(redact('Authorization: Bearer abc.def-ghi_jkl')).toBe(
      `Authorization: Bearer ${REDACTED}`,
    );
    expect(redact('x-api-key: 0123456789abcdef')).toBe(`x-api-key: ${REDACTED}`);
  });

  it('masks NAME=value assignments of secret-looking names', () => {
    expect(redact('NVIDIA_API_KEY=supersecretvalue')).toBe(`NVIDIA_API_KEY=${REDACTED}`);
    expect(redact('{"api_token": "hunter2hunter2"}')).toBe(`{"api_token": "${REDACTED}"}`);
    expect(redact('DB_PASSWORD: p4ssw0rd!')).toBe(`DB_PASSWORD: ${REDACTED}`);
  });

  it('leaves variable names and ordinary text alone', () => {
    expect(redact('--credential NVIDIA_API_KEY')).toBe('--credential NVIDIA_API_KEY');
    expect(redact('provider create --name nvidia-prod --type nvidia')).toBe(
      'provider create --name nvidia-prod --type nvidia',
    );
    expect(redact('credential_keys: NVIDIA_API_KEY')).toBe('credential_keys: NVIDIA_API_KEY');
  });

  it('masks PEM private keys', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----';
    expect(redact(`key:\n${pem}\n`)).toBe(`key:\n${REDACTED}\n`);
  });
});

describe('redact: known values', () => {
  it('masks a registered secret of any shape', () => {
    registerSecret('plain-looking-value-42');
    expect(redact('the key is plain-looking-value-42.')).toBe(`the key is ${REDACTED}.`);
  });

  it('registers secrets from secret-looking env names only', () => {
    registerSecretsFromEnv({ MY_SERVICE_TOKEN: 'opaque-token-value', HOME: '/root/home-dir-x' });
    expect(redact('opaque-token-value')).toBe(REDACTED);
    expect(redact('/root/home-dir-x')).toBe('/root/home-dir-x');
  });

  it('deep-redacts values under secret-looking keys', () => {
    const v = redactValue({
      name: 'x',
      apiKeys: ['a'],
      OPENAI_API_KEY: 'whatever-it-is',
      nested: [{ text: 'nvapi-0123456789abcdef' }],
    });
    expect(v).toEqual({
      name: 'x',
      apiKeys: ['a'],
      OPENAI_API_KEY: REDACTED,
      nested: [{ text: REDACTED }],
    });
  });
});

describe('redact: prose stays readable, URL credentials do not', () => {
  it('keeps the variable name and the message of a missing-key problem (issue 17/19 example)', () => {
    const msg = 'NVIDIA_API_KEY: provider "build" needs its API key in NVIDIA_API_KEY';
    expect(redact(msg)).toBe(msg);
  });

  it('keeps other prose after a secret-looking name', () => {
    expect(redact('OPENAI_API_KEY: missing')).toBe('OPENAI_API_KEY: missing');
    expect(redact('GITHUB_TOKEN: required. Set it and retry')).toBe(
      'GITHUB_TOKEN: required. Set it and retry',
    );
    expect(redact('ANTHROPIC_API_KEY: not set')).toBe('ANTHROPIC_API_KEY: not set');
  });

  it('still masks values that look like secrets after a colon', () => {
    expect(redact('MY_TOKEN: abc123def456')).toBe(`MY_TOKEN: ${REDACTED}`);
    expect(redact('API_KEY: averyveryverylongopaquesecretvalue')).toBe(`API_KEY: ${REDACTED}`);
    expect(redact('API_KEY=plainword')).toBe(`API_KEY=${REDACTED}`);
  });

  it('masks URL userinfo and credential query parameters (issue 18 item 5 example)', () => {
    const out = redact('endpoint http://user:SECRETVALUE@host.example/v1?api_key=SECRETQ&model=x');
    expect(out).not.toContain('SECRETVALUE');
    expect(out).not.toContain('SECRETQ');
    expect(out).not.toContain('user:');
    expect(out).toContain('host.example/v1');
    expect(out).toContain('model=x');
  });

  it.each([
    ['https://alice:pw@gw.local:8080/path', 'pw'],
    ['https://tokenonly123@api.example.com/', 'tokenonly123'],
    ['https://h.example/x?access_token=abcd&y=1', 'abcd'],
    ['https://h.example/x?X-Amz-Signature=deadbeef', 'deadbeef'],
    ['https://h.example/x?a=1&sig=zzzz', 'zzzz'],
    ['https://h.example/x?apikey=qqqq#frag', 'qqqq'],
  ])('masks the credential in %s', (url, secret) => {
    const out = redact(`GET ${url} failed`);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
    expect(out.endsWith(' failed')).toBe(true);
  });

  it('leaves ordinary URLs and query parameters alone', () => {
    const u = 'https://integrate.api.nvidia.com/v1/models?author=bob&page=2';
    expect(redact(u)).toBe(u);
  });
});
