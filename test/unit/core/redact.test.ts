import { afterEach, describe, expect, it } from 'vitest';
import {
  ASSIGNMENT,
  clearKnownSecrets,
  couldMatch,
  CREDENTIAL_QUERY,
  LABELLED,
  redact,
  redactionCouldChange,
  redactValue,
  registerSecret,
  registerSecretsFromEnv,
  REDACTED,
  TOKEN_SHAPES,
  URL_USERINFO,
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

/**
 * redact runs a pattern only when one of its `needs` occurs in the text (the lower-cased text for
 * a pattern that ignores case): the check spares compiling and running patterns that cannot match.
 * That is only sound if every match of a pattern contains one of its needs, held here on texts made
 * from secrets of every shape, mutated at random.
 */
describe('redact: the pre-check of each pattern', () => {
  const SAMPLES = [
    'nvapi-abcdefghijklmnop1234',
    'nvcf-ABCDEFGHIJKL1234',
    'github_pat_11ABCDEFG0123456789_abcdefghij',
    'ghp_abcdefghijklmnopqrstuvwxyz012345',
    'gho_abcdefghijklmnopqrstuvwxyz012345',
    'ghs_ABCDEFGHIJKLMNOPQRSTUV',
    'sk-ant-api03-abcdefghijkl',
    'sk-proj-abcdefghijklmnop',
    'sk-abcdefghijklmnopqrstu',
    'xoxb-1234567890-abcdefghij',
    'xoxs-1234567890-abcdefghij',
    'xapp-1-A0123456789-abcdef',
    'AKIAABCDEFGHIJKLMNOP',
    'hf_abcdefghijklmnopqrstuv',
    'glpat-abcdefghijklmnopqrst',
    'gsk_abcdefghijklmnopqrstuv',
    'pypi-AgEIcHlwaS5vcmcabcdefgh',
    'tvly-abcdefghijkl',
    '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq',
    'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123',
    '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----',
    'Authorization: Bearer abc.def-ghi_jkl',
    'authorization: BEARER\tabcdefgh12',
    'x-api-key: 0123456789abcdef',
    'X-Api-Key:abcdefgh0123',
    'NVIDIA_API_KEY=supersecretvalue',
    '{"api_token": "hunter2hunter2"}',
    'db_Password: p4ssw0rd!',
    'my_secret = "abc123def"',
    'https://alice:pw@gw.local:8080/path',
    'HTTPS://tokenonly123@api.example.com/',
    'https://h.example/x?access_token=abcd&y=1',
    'https://h.example/x?X-Amz-Signature=deadbeef',
    'https://h.example/x;sig=zzzz',
    'https://h.example/x?a=1&APIKEY=qqqq#frag',
  ];
  const ALPHABET = 'aAkKeEyY-_:.=?&;/@ \n"\'0123456789MNOtTsSpPbBrRxX<>';

  /** A deterministic generator (no flaky seeds): mulberry32. */
  function rng(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function mutate(s: string, next: () => number): string {
    let out = s;
    const edits = Math.floor(next() * 4);
    for (let i = 0; i < edits; i++) {
      const at = Math.floor(next() * (out.length + 1));
      const c = ALPHABET[Math.floor(next() * ALPHABET.length)]!;
      const what = next();
      if (what < 0.3)
        out = out.slice(0, at) + out.slice(at + 1); // delete
      else if (what < 0.6)
        out = out.slice(0, at) + c + out.slice(at); // insert
      else if (what < 0.8)
        out = out.slice(0, at) + c + out.slice(at + 1); // replace
      else out = next() < 0.5 ? out.toUpperCase() : out.toLowerCase(); // case
    }
    return out;
  }

  const texts = (() => {
    const next = rng(17);
    const out: string[] = [...SAMPLES];
    for (let i = 0; i < 6000; i++) {
      const a = SAMPLES[Math.floor(next() * SAMPLES.length)]!;
      const b = SAMPLES[Math.floor(next() * SAMPLES.length)]!;
      const glue = ['', ' ', '\n', 'x', ':', '='][Math.floor(next() * 6)]!;
      out.push(mutate(next() < 0.5 ? a : `${a}${glue}${b}`, next));
    }
    return out;
  })();

  const all = [...TOKEN_SHAPES, ...LABELLED, URL_USERINFO, CREDENTIAL_QUERY, ASSIGNMENT];

  it('every pattern has samples that match it', () => {
    for (const s of all) {
      const hits = texts.filter((t) => new RegExp(s.re.source, s.re.flags).test(t)).length;
      expect(hits, s.re.source).toBeGreaterThan(20);
    }
  });

  it('a text a pattern matches always holds one of its needs', () => {
    for (const s of all) {
      const re = new RegExp(s.re.source, s.re.flags.replace('g', ''));
      for (const t of texts) {
        if (!re.test(t)) continue;
        const seen = s.re.ignoreCase ? t.toLowerCase() : t;
        const why = `${s.re.source} matches ${JSON.stringify(t)}`;
        expect(
          s.needs.some((n) => seen.includes(n)),
          why,
        ).toBe(true);
        expect(couldMatch(s, t), why).toBe(true);
      }
    }
  });

  it('redactionCouldChange is false only where redact changes nothing, in the text or a part of it', () => {
    let unchanged = 0;
    for (const t of texts) {
      if (redactionCouldChange(t)) continue;
      unchanged++;
      expect(redact(t)).toBe(t);
      for (const part of t.split(/\n| /)) expect(redactionCouldChange(part)).toBe(false);
    }
    expect(unchanged).toBeGreaterThan(50);
  });

  it('a registered secret is still masked in text that no pattern could match', () => {
    const msg = 'No sandboxes registered. Run `nemoclaw onboard` to get started.';
    expect(redactionCouldChange(msg)).toBe(false);
    expect(redact(msg)).toBe(msg);
    registerSecret('sandboxes registered');
    expect(redactionCouldChange(msg)).toBe(true);
    expect(redact(msg)).toBe(`No ${REDACTED}. Run \`nemoclaw onboard\` to get started.`);
  });

  it('a token-shaped string is still masked among lines that need no redaction', () => {
    const lines = ['Sandboxes:', '  alpha *', '    phase: Ready', 'gateway nemoclaw: up'];
    expect(redactionCouldChange(lines.join('\n'))).toBe(false);
    const withToken = [...lines, '    model: nvapi-abcdefghijklmnop1234'].join('\n');
    expect(redactionCouldChange(withToken)).toBe(true);
    expect(redact(withToken)).toBe([...lines, `    model: ${REDACTED}`].join('\n'));
  });
});
