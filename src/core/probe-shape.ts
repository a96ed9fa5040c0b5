/**
 * The one validation request per provider, shaped as each provider's API reference asks
 * (product.md §9). Pure: the adapter sends it.
 *
 * - OpenAI: `POST {base}/chat/completions` with `max_completion_tokens` (the GPT-5 family refuses
 *   `max_tokens` with 400 `unsupported_parameter`) and no `temperature` (it accepts only 1).
 * - Anthropic and Anthropic-compatible: `POST …/v1/messages`, `x-api-key`, `anthropic-version`,
 *   `max_tokens` required. The URL is joined the way OpenShell's router joins it
 *   (crates/openshell-router/src/backend.rs `build_backend_url` at v0.0.111): a base whose path
 *   starts or ends with `/v1` does not get a second `/v1`, so the probe hits what the route will.
 * - Gemini: its OpenAI-compatible endpoint, `{base}/chat/completions` under `/v1beta/openai/`.
 *   OpenShell's router would send `/v1/chat/completions` below that base (no `/v1` edge to drop).
 * - NVIDIA Endpoints: OpenAI chat completions with `max_tokens`.
 * - Other OpenAI-compatible servers: some accept only one of the two token fields; the adapter
 *   retries once with the other when the refusal names the one sent (as OpenShell's own
 *   validation does, backend.rs `try_validation_probe`).
 */
import type { ProviderKey } from './providers.ts';

export type ProbeDialect = 'openai' | 'anthropic' | 'gemini' | 'nvidia' | 'compatible';
export type TokenField = 'max_tokens' | 'max_completion_tokens';

export function dialectOf(key: ProviderKey | string, api: 'openai' | 'anthropic'): ProbeDialect {
  switch (key) {
    case 'openai':
      return 'openai';
    case 'anthropic':
    case 'anthropicCompatible':
      return 'anthropic';
    case 'gemini':
      return 'gemini';
    case 'build':
      return 'nvidia';
    default:
      return api === 'anthropic' ? 'anthropic' : 'compatible';
  }
}

/** OpenShell's join of an endpoint and a protocol path (backend.rs `build_backend_url`). */
export function routerUrl(base: string, path: string): string {
  const b = base.replace(/\/+$/, '');
  const scheme = b.indexOf('://');
  const slash = scheme >= 0 ? b.indexOf('/', scheme + 3) : -1;
  const basePath = slash >= 0 ? b.slice(slash) : '';
  const v1Edge = basePath.startsWith('/v1/') || basePath.endsWith('/v1');
  if (v1Edge && (path === '/v1' || path.startsWith('/v1/'))) return `${b}${path.slice(3)}`;
  return `${b}${path}`;
}

/** A plain join: the base already names the API root (OpenAI-style bases end at /v1). */
function join(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function firstTokenField(d: ProbeDialect): TokenField {
  return d === 'openai' ? 'max_completion_tokens' : 'max_tokens';
}

export function otherTokenField(f: TokenField): TokenField {
  return f === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
}

export interface ProbeShape {
  url: string;
  /** Without the credential: the adapter adds it to this one request. */
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** How the credential travels. */
  auth: 'bearer' | 'x-api-key';
}

export function probeShape(
  d: ProbeDialect,
  baseUrl: string,
  model: string,
  tokens: TokenField = firstTokenField(d),
): ProbeShape {
  const messages = [{ role: 'user', content: 'Reply with exactly: OK' }];
  if (d === 'anthropic') {
    return {
      url: routerUrl(baseUrl, '/v1/messages'),
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      // Anthropic requires max_tokens; it has no other token field.
      body: { model, max_tokens: 16, messages },
      auth: 'x-api-key',
    };
  }
  return {
    // Gemini's documented path is under /v1beta/openai/ (see the report on the router's join);
    // every other OpenAI-style base is joined as the router joins it.
    url:
      d === 'gemini'
        ? join(baseUrl, 'chat/completions')
        : routerUrl(baseUrl, '/v1/chat/completions'),
    headers: { 'content-type': 'application/json' },
    body: { model, [tokens]: 16, messages },
    auth: 'bearer',
  };
}

/** Retrying with the other token field is worth it only for a refusal that names the one sent. */
export function refusesTokenField(
  status: number,
  errorText: string,
  sent: TokenField,
  d: ProbeDialect,
): boolean {
  if (d === 'anthropic' || (status !== 400 && status !== 422)) return false;
  return new RegExp(`\\b${sent}\\b`).test(errorText);
}
