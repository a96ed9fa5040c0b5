/**
 * Provider validation against servers that refuse what each real service refuses
 * (test/helpers/provider-servers.ts): one table of cases per provider.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { probeProvider } from '../../../../src/adapters/http/probe.ts';
import { judgeProbe, type NextMove } from '../../../../src/core/onboard/probe-result.ts';
import { dialectOf, routerUrl } from '../../../../src/core/probe-shape.ts';
import { findProvider, type ProviderKey } from '../../../../src/core/providers.ts';
import {
  GOOD_KEY,
  NO_CREDIT_KEY,
  OVERLOADED_MODEL,
  startProviderServer,
  type ProviderKind,
  type ProviderServer,
} from '../../../helpers/provider-servers.ts';

interface Case {
  name: string;
  key: string;
  model: string;
  /** Base URL relative to the server root; default: the provider's documented base. */
  base?: string;
  ok: boolean;
  next?: NextMove;
  /** Words the message (reason + fix + warning) must contain. */
  says?: RegExp[];
  /** Requests the probe may send (a token-field retry is the second). */
  requests?: number;
}

const servers: ProviderServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function run(provider: ProviderKey, srv: ProviderServer, c: Case) {
  const spec = findProvider(provider)!;
  const before = srv.requests.length;
  const baseUrl = c.base === undefined ? srv.base : `${srv.url}${c.base}`;
  const out = await probeProvider({
    api: spec.api,
    dialect: dialectOf(spec.key, spec.api),
    baseUrl,
    model: c.model,
    apiKey: c.key,
  });
  const v = judgeProbe(out, {
    provider: spec.label,
    model: c.model,
    keyEnv: spec.userEnv,
    url: baseUrl,
  });
  const text = [v.reason, v.fix, v.warning].join(' ');
  expect(v.ok, text).toBe(c.ok);
  if (c.next) expect(v.next, text).toBe(c.next);
  for (const re of c.says ?? []) expect(text).toMatch(re);
  if (c.requests) expect(srv.requests.length - before).toBe(c.requests);
  return srv.requests.slice(before);
}

function table(
  provider: ProviderKey,
  kind: ProviderKind,
  cases: Case[],
  o?: { tokenField?: 'max_tokens' | 'max_completion_tokens' },
) {
  describe(`${provider} against a ${kind} server`, () => {
    let srv: ProviderServer;
    it.each(cases)('$name', async (c) => {
      if (!srv) servers.push((srv = await startProviderServer(kind, o)));
      await run(provider, srv, c);
    });
  });
}

table('openai', 'openai', [
  {
    name: 'the default model gpt-5.4 passes with max_completion_tokens',
    key: GOOD_KEY,
    model: 'gpt-5.4',
    ok: true,
    requests: 1,
  },
  { name: 'an older model passes too', key: GOOD_KEY, model: 'gpt-4o', ok: true },
  {
    name: 'a wrong key: re-enter it',
    key: 'sk-wrong',
    model: 'gpt-5.4',
    ok: false,
    next: 'key',
    says: [/401/, /OPENAI_API_KEY/, /Incorrect API key/],
  },
  {
    name: 'an unknown model: choose another',
    key: GOOD_KEY,
    model: 'gpt-9',
    ok: false,
    next: 'model',
    says: [/gpt-9/, /404/],
  },
  {
    name: 'no credit: billing, not a rate limit',
    key: NO_CREDIT_KEY,
    model: 'gpt-5.4',
    ok: false,
    next: 'key',
    says: [/billing/i, /429/],
  },
]);

table('anthropic', 'anthropic', [
  { name: 'passes at the host root', key: GOOD_KEY, model: 'claude-sonnet-4-6', ok: true },
  {
    name: 'a wrong key',
    key: 'sk-ant-wrong',
    model: 'claude-sonnet-4-6',
    ok: false,
    next: 'key',
    says: [/ANTHROPIC_API_KEY/, /invalid x-api-key/],
  },
  {
    name: 'an unknown model',
    key: GOOD_KEY,
    model: 'gpt-5.4',
    ok: false,
    next: 'model',
    says: [/gpt-5\.4/],
  },
  {
    name: 'a low credit balance (HTTP 400) is billing',
    key: NO_CREDIT_KEY,
    model: 'claude-sonnet-4-6',
    ok: false,
    next: 'key',
    says: [/credit balance/, /billing/],
  },
  {
    name: 'overloaded (529): retry',
    key: GOOD_KEY,
    model: OVERLOADED_MODEL,
    ok: false,
    next: 'retry',
    says: [/529/],
  },
]);

table('anthropicCompatible', 'anthropic', [
  {
    name: 'a base with /v1 does not become /v1/v1/messages',
    key: GOOD_KEY,
    model: 'claude-sonnet-4-6',
    base: '/v1',
    ok: true,
  },
  {
    name: 'a base with /v1/ and a trailing slash too',
    key: GOOD_KEY,
    model: 'claude-sonnet-4-6',
    base: '/v1/',
    ok: true,
  },
  { name: 'a base without /v1', key: GOOD_KEY, model: 'claude-sonnet-4-6', base: '', ok: true },
]);

table('gemini', 'gemini', [
  {
    name: 'passes on the OpenAI-compatible endpoint',
    key: GOOD_KEY,
    model: 'gemini-2.5-flash',
    ok: true,
  },
  {
    name: 'a wrong key is HTTP 400 API_KEY_INVALID, and still means the key',
    key: 'AIza-wrong',
    model: 'gemini-2.5-flash',
    ok: false,
    next: 'key',
    says: [/GEMINI_API_KEY/, /API key not valid/],
  },
  {
    name: 'an unknown model',
    key: GOOD_KEY,
    model: 'gemini-0',
    ok: false,
    next: 'model',
    says: [/gemini-0/],
  },
]);

table('build', 'nvidia', [
  {
    name: 'passes with a publisher/model id',
    key: GOOD_KEY,
    model: 'nvidia/nemotron-3-super-120b-a12b',
    ok: true,
  },
  {
    name: 'a wrong key',
    key: 'nvapi-wrong',
    model: 'nvidia/nemotron-3-super-120b-a12b',
    ok: false,
    next: 'key',
    says: [/NVIDIA_API_KEY/],
  },
  {
    name: 'a model without its publisher prefix',
    key: GOOD_KEY,
    model: 'nemotron',
    ok: false,
    next: 'model',
    says: [/nemotron/, /publisher prefix/],
  },
]);

table(
  'custom',
  'compatible',
  [
    {
      name: 'a max_tokens-only server passes on the first request',
      key: GOOD_KEY,
      model: 'served-model',
      ok: true,
      requests: 1,
    },
    {
      name: 'an unknown model',
      key: GOOD_KEY,
      model: 'other',
      ok: false,
      next: 'model',
      says: [/other/],
    },
  ],
  { tokenField: 'max_tokens' },
);

table(
  'custom',
  'compatible',
  [
    {
      name: 'a max_completion_tokens-only server passes on the retry',
      key: GOOD_KEY,
      model: 'served-model',
      ok: true,
      requests: 2,
    },
    {
      name: 'a base without /v1 is joined as OpenShell joins it',
      key: GOOD_KEY,
      model: 'served-model',
      base: '',
      ok: true,
    },
  ],
  { tokenField: 'max_completion_tokens' },
);

describe('request shapes', () => {
  it('OpenAI: max_completion_tokens, no max_tokens, no temperature', async () => {
    const srv = await startProviderServer('openai');
    servers.push(srv);
    const [r] = await run('openai', srv, { name: '', key: GOOD_KEY, model: 'gpt-5.4', ok: true });
    expect(r!.body).toMatchObject({ max_completion_tokens: expect.any(Number) });
    expect(r!.body).not.toHaveProperty('max_tokens');
    expect(r!.body).not.toHaveProperty('temperature');
    expect(r!.headers.authorization).toBe(`Bearer ${GOOD_KEY}`);
  });
  it('Anthropic: x-api-key and anthropic-version, no bearer', async () => {
    const srv = await startProviderServer('anthropic');
    servers.push(srv);
    const [r] = await run('anthropic', srv, {
      name: '',
      key: GOOD_KEY,
      model: 'claude-sonnet-4-6',
      ok: true,
    });
    expect(r!.path).toBe('/v1/messages');
    expect(r!.headers['x-api-key']).toBe(GOOD_KEY);
    expect(r!.headers['anthropic-version']).toBe('2023-06-01');
    expect(r!.headers.authorization).toBeUndefined();
  });
  it('joins URLs as the OpenShell router does', () => {
    expect(routerUrl('https://api.anthropic.com', '/v1/messages')).toBe(
      'https://api.anthropic.com/v1/messages',
    );
    expect(routerUrl('https://x.example/v1/', '/v1/messages')).toBe(
      'https://x.example/v1/messages',
    );
    expect(routerUrl('https://api.groq.com/openai/v1', '/v1/chat/completions')).toBe(
      'https://api.groq.com/openai/v1/chat/completions',
    );
    expect(routerUrl('https://proxy.example/api/v1/openai', '/v1/chat/completions')).toBe(
      'https://proxy.example/api/v1/openai/v1/chat/completions',
    );
  });
});
