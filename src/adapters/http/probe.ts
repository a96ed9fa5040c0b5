/**
 * One real inference request to validate a provider (product.md §9), and the model list of local
 * servers. Reports what happened on the wire; core/onboard/probe-result.ts judges it.
 */
import type { ApiShape } from '../../core/providers.ts';
import type { ProbeOutcome } from '../../core/onboard/probe-result.ts';
import { redact } from '../../core/redact.ts';
import {
  dialectOf,
  firstTokenField,
  otherTokenField,
  probeShape,
  refusesTokenField,
  type ProbeDialect,
  type TokenField,
} from '../../core/probe-shape.ts';
import { errorText, parseProviderError } from '../../core/provider-errors.ts';

export interface ProbeRequest {
  api: ApiShape;
  /** The provider's API dialect; without it, a generic OpenAI- or Anthropic-style server. */
  dialect?: ProbeDialect;
  baseUrl: string;
  model: string;
  /** Sent only in a header of this one request; never logged. */
  apiKey?: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

const BODY_LIMIT = 4096;

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/**
 * One request shaped for the provider's API (core/probe-shape.ts). A server that refuses the
 * token-limit field sent gets one more request with the other field.
 */
export async function probeProvider(r: ProbeRequest): Promise<ProbeOutcome> {
  const dialect = r.dialect ?? dialectOf('', r.api);
  const timeoutMs = r.timeoutMs ?? 15_000;
  const fetchImpl = r.fetchImpl ?? fetch;
  let tokens = firstTokenField(dialect);
  const once = (t: TokenField) => {
    const shape = probeShape(dialect, r.baseUrl, r.model, t);
    const headers = { ...shape.headers };
    if (r.apiKey) {
      if (shape.auth === 'x-api-key') headers['x-api-key'] = r.apiKey;
      else headers.authorization = `Bearer ${r.apiKey}`;
    }
    const init = { method: 'POST', headers, body: JSON.stringify(shape.body) };
    return send(shape.url, init, timeoutMs, fetchImpl);
  };
  const first = await once(tokens);
  if (
    first.kind !== 'http' ||
    !refusesTokenField(first.status, errorText(parseProviderError(first.body)), tokens, dialect)
  )
    return first;
  tokens = otherTokenField(tokens);
  return once(tokens);
}

/** `GET <base>/models` of an OpenAI-style server: the ids it serves, or the failure. */
export async function listModels(
  baseUrl: string,
  o: { timeoutMs?: number; fetchImpl?: typeof fetch; apiKey?: string } = {},
): Promise<{ ids: string[] } | { failure: ProbeOutcome }> {
  const url = joinUrl(baseUrl, 'models');
  const headers: Record<string, string> = o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {};
  const out = await send(
    url,
    { method: 'GET', headers },
    o.timeoutMs ?? 5000,
    o.fetchImpl ?? fetch,
  );
  if (out.kind !== 'http' || out.status !== 200) return { failure: out };
  try {
    const doc = JSON.parse(out.body) as {
      data?: { id?: unknown }[];
      models?: { name?: unknown }[];
    };
    const ids = (doc.data ?? []).map((m) => m.id).concat((doc.models ?? []).map((m) => m.name));
    return { ids: ids.filter((x): x is string => typeof x === 'string') };
  } catch {
    return { failure: { kind: 'http', status: 200, body: 'not a model list' } };
  }
}

async function send(
  url: string,
  init: RequestInit,
  timeoutMs: number,
  fetchImpl: typeof fetch,
): Promise<ProbeOutcome> {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return { kind: 'network', url, message: 'not a valid URL' };
  }
  try {
    const res = await fetchImpl(url, {
      ...init,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    const text = await readLimited(res);
    return { kind: 'http', status: res.status, body: redact(text) };
  } catch (e) {
    return classify(e, url, host, timeoutMs);
  }
}

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < BODY_LIMIT) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).toString('utf8').slice(0, BODY_LIMIT);
}

function classify(e: unknown, url: string, host: string, timeoutMs: number): ProbeOutcome {
  const err = e as { name?: string; code?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code ?? err.code;
  if (
    err.name === 'TimeoutError' ||
    err.name === 'AbortError' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'ETIMEDOUT'
  ) {
    return { kind: 'timeout', url, ms: timeoutMs };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    return { kind: 'dns', host };
  if (code === 'ECONNREFUSED') return { kind: 'refused', url };
  return {
    kind: 'network',
    url,
    message: redact(err.cause?.message ?? (e as Error).message ?? String(e)),
  };
}
