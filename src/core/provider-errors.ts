/**
 * The error bodies the providers document, read into one shape so a refusal can say what to
 * change. Pure.
 * - OpenAI (and Ollama's, LiteLLM's OpenAI layer): `{"error":{"message","type","param","code"}}`.
 * - vLLM: `{"object":"error","message","type","param","code"}`.
 * - Anthropic: `{"type":"error","error":{"type","message"}}`.
 * - Gemini (Google API errors; the OpenAI-compatible endpoint wraps them in a list):
 *   `[{"error":{"code","message","status","details":[{"reason"}]}}]`.
 * - NVIDIA Endpoints: RFC 7807 problem details `{"type","title","status","detail"}`.
 */

export interface ProviderError {
  message?: string;
  /** OpenAI `type`, Anthropic `error.type`, Google `status`, NVIDIA `title`. */
  type?: string;
  /** OpenAI `code` (e.g. unsupported_parameter, model_not_found, insufficient_quota). */
  code?: string;
  param?: string;
  /** Google `details[].reason` (e.g. API_KEY_INVALID). */
  reason?: string;
}

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseProviderError(body: string): ProviderError {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    const text = body.trim();
    return text ? { message: text.slice(0, 300) } : {};
  }
  if (Array.isArray(doc)) doc = doc[0];
  if (!isObj(doc)) return {};
  const inner = doc.error;
  if (isObj(inner)) {
    const details = Array.isArray(inner.details) ? inner.details : [];
    const reason = details.map((d) => (isObj(d) ? str(d.reason) : undefined)).find(Boolean);
    return {
      message: str(inner.message),
      type: str(inner.type) ?? str(inner.status),
      code: typeof inner.code === 'string' ? inner.code : undefined,
      param: str(inner.param),
      reason,
    };
  }
  if (typeof inner === 'string') return { message: inner };
  if (doc.object === 'error' || typeof doc.message === 'string') {
    return {
      message: str(doc.message),
      type: str(doc.type),
      code: typeof doc.code === 'string' ? doc.code : undefined,
      param: str(doc.param),
    };
  }
  if (typeof doc.detail === 'string' || typeof doc.title === 'string') {
    return { message: str(doc.detail) ?? str(doc.title), type: str(doc.title) };
  }
  return {};
}

/** Every field joined, for matching words in whichever field a provider puts them. */
export function errorText(e: ProviderError): string {
  return [e.message, e.type, e.code, e.param, e.reason].filter(Boolean).join(' ');
}

export type ErrorMeaning =
  | 'key'
  | 'permission'
  | 'model'
  | 'billing'
  | 'rate-limit'
  | 'overloaded'
  | 'token-field'
  | 'parameter'
  | undefined;

/** What a documented refusal means, before the HTTP status alone decides. */
export function meaningOf(status: number, e: ProviderError): ErrorMeaning {
  const t = errorText(e);
  if (
    e.reason === 'API_KEY_INVALID' ||
    /api key not valid|invalid[_ ]api[_ ]key|x-api-key/i.test(t)
  )
    return 'key';
  if (e.type === 'authentication_error') return 'key';
  if (e.code === 'insufficient_quota' || /credit balance|billing|quota exceeded for/i.test(t))
    return 'billing';
  if (e.type === 'permission_error' || e.type === 'PERMISSION_DENIED') return 'permission';
  if (
    e.code === 'model_not_found' ||
    (e.type === 'not_found_error' && /model/i.test(t)) ||
    (status === 404 && /model|function/i.test(t))
  )
    return 'model';
  if (e.code === 'unsupported_parameter' && /max_(completion_)?tokens/.test(t))
    return 'token-field';
  if (e.code === 'unsupported_parameter' || e.code === 'unsupported_value') return 'parameter';
  if (e.type === 'overloaded_error' || status === 529) return 'overloaded';
  if (status === 429 || e.type === 'rate_limit_error' || e.type === 'RESOURCE_EXHAUSTED')
    return 'rate-limit';
  return undefined;
}
