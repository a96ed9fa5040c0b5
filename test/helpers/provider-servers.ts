/**
 * Loopback servers that refuse what each provider's API reference says the real service refuses,
 * with the service's documented error bodies (unlike inference-server.ts, which is lenient on
 * purpose). One server per provider:
 * - openai: `/v1/chat/completions`, Bearer key. The GPT-5 family (and o-series) refuses
 *   `max_tokens` (400 `unsupported_parameter`, "Use 'max_completion_tokens' instead.") and any
 *   `temperature` but 1 (400 `unsupported_value`); unknown model → 404 `model_not_found`; bad key →
 *   401 `invalid_api_key`; a key without credit → 429 `insufficient_quota`.
 * - anthropic: `/v1/messages` only (so `/v1/v1/messages` is a 404), `x-api-key` and
 *   `anthropic-version` required, `max_tokens` required; errors `{"type":"error","error":{…}}`:
 *   401 authentication_error, 404 not_found_error "model: …", 400 invalid_request_error for a low
 *   credit balance, 529 overloaded_error.
 * - gemini: `/v1beta/openai/chat/completions`; a bad key is 400 INVALID_ARGUMENT with reason
 *   API_KEY_INVALID (not 401), unknown model 404 NOT_FOUND; errors wrapped in a list.
 * - nvidia: integrate.api.nvidia.com shape, `/v1/chat/completions`; 401/404 as problem details.
 * - compatible: an OpenAI-compatible server that accepts only `tokenField` and refuses the other
 *   the way vLLM's strict request model does (400, "Extra inputs are not permitted").
 * Keys: GOOD_KEY is accepted; NO_CREDIT_KEY has no credit; anything else is rejected.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export const GOOD_KEY = 'good-key';
export const NO_CREDIT_KEY = 'no-credit-key';
export const OVERLOADED_MODEL = 'overloaded-model';

export type ProviderKind = 'openai' | 'anthropic' | 'gemini' | 'nvidia' | 'compatible';

export interface ProviderServer {
  url: string;
  /** The base URL a user would configure for this provider. */
  base: string;
  requests: { path: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

type Reply = [number, unknown];
type Handler = (path: string, h: IncomingMessage['headers'], b: Record<string, unknown>) => Reply;

const bearer = (h: IncomingMessage['headers']) => (h.authorization ?? '').replace(/^Bearer /, '');
/** The OpenAI-shaped chat completion the openai, gemini and nvidia stand-ins answer with. */
const completion = (id: string, model: string) => ({
  id,
  object: 'chat.completion',
  model,
  choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'stop' }],
});

function openai(path: string, h: IncomingMessage['headers'], b: Record<string, unknown>): Reply {
  const err = (
    status: number,
    message: string,
    type: string,
    param: string | null,
    code: string | null,
  ): Reply => [status, { error: { message, type, param, code } }];
  if (path !== '/v1/chat/completions')
    return err(404, `Invalid URL (POST ${path})`, 'invalid_request_error', null, null);
  const key = bearer(h);
  if (key !== GOOD_KEY && key !== NO_CREDIT_KEY)
    return err(
      401,
      'Incorrect API key provided: sk-***. You can find your API key at https://platform.openai.com/account/api-keys.',
      'invalid_request_error',
      null,
      'invalid_api_key',
    );
  const model = String(b.model ?? '');
  if (!['gpt-5.4', 'gpt-5-mini', 'gpt-4o'].includes(model))
    return err(
      404,
      `The model \`${model}\` does not exist or you do not have access to it.`,
      'invalid_request_error',
      null,
      'model_not_found',
    );
  const reasoning = /^(gpt-5|o\d)/.test(model);
  if (reasoning && 'max_tokens' in b)
    return err(
      400,
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      'invalid_request_error',
      'max_tokens',
      'unsupported_parameter',
    );
  if (reasoning && 'temperature' in b && b.temperature !== 1)
    return err(
      400,
      "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
      'invalid_request_error',
      'temperature',
      'unsupported_value',
    );
  if (key === NO_CREDIT_KEY)
    return err(
      429,
      'You exceeded your current quota, please check your plan and billing details.',
      'insufficient_quota',
      null,
      'insufficient_quota',
    );
  return [200, completion('chatcmpl-1', model)];
}

function anthropic(path: string, h: IncomingMessage['headers'], b: Record<string, unknown>): Reply {
  const err = (status: number, type: string, message: string): Reply => [
    status,
    { type: 'error', error: { type, message } },
  ];
  if (path !== '/v1/messages') return err(404, 'not_found_error', 'Not Found');
  const key = h['x-api-key'];
  if (!key) return err(401, 'authentication_error', 'x-api-key header is required');
  if (key !== GOOD_KEY && key !== NO_CREDIT_KEY)
    return err(401, 'authentication_error', 'invalid x-api-key');
  if (!h['anthropic-version'])
    return err(400, 'invalid_request_error', 'anthropic-version: header is required');
  if (typeof b.max_tokens !== 'number')
    return err(400, 'invalid_request_error', 'max_tokens: Field required');
  const model = String(b.model ?? '');
  if (model === OVERLOADED_MODEL) return err(529, 'overloaded_error', 'Overloaded');
  if (!/^claude-/.test(model)) return err(404, 'not_found_error', `model: ${model}`);
  if (key === NO_CREDIT_KEY)
    return err(
      400,
      'invalid_request_error',
      'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
    );
  return [
    200,
    {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: 'OK' }],
      stop_reason: 'end_turn',
    },
  ];
}

function gemini(path: string, h: IncomingMessage['headers'], b: Record<string, unknown>): Reply {
  const err = (code: number, status: string, message: string, reason?: string): Reply => [
    code,
    [
      {
        error: {
          code,
          message,
          status,
          ...(reason
            ? {
                details: [
                  {
                    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                    reason,
                    domain: 'googleapis.com',
                  },
                ],
              }
            : {}),
        },
      },
    ],
  ];
  if (path !== '/v1beta/openai/chat/completions') return err(404, 'NOT_FOUND', 'Not Found');
  if (bearer(h) !== GOOD_KEY)
    return err(
      400,
      'INVALID_ARGUMENT',
      'API key not valid. Please pass a valid API key.',
      'API_KEY_INVALID',
    );
  const model = String(b.model ?? '');
  if (!['gemini-2.5-flash', 'gemini-2.5-pro'].includes(model))
    return err(
      404,
      'NOT_FOUND',
      `models/${model} is not found for API version v1main, or is not supported for generateContent.`,
    );
  return [200, completion('g-1', model)];
}

function nvidia(path: string, h: IncomingMessage['headers'], b: Record<string, unknown>): Reply {
  const problem = (status: number, title: string, detail: string): Reply => [
    status,
    { type: 'about:blank', status, title, detail },
  ];
  if (path !== '/v1/chat/completions') return problem(404, 'Not Found', `Not found: ${path}`);
  if (bearer(h) !== GOOD_KEY) return problem(401, 'Unauthorized', 'Authentication failed');
  const model = String(b.model ?? '');
  if (!model.includes('/'))
    return problem(404, 'Not Found', `Function '${model}': Not found for account 'test'`);
  return [200, completion('n-1', model)];
}

function compatible(tokenField: 'max_tokens' | 'max_completion_tokens'): Handler {
  const refused = tokenField === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
  return (path, h, b) => {
    const err = (code: number, type: string, message: string): Reply => [
      code,
      { object: 'error', message, type, param: null, code },
    ];
    if (path !== '/v1/chat/completions') return err(404, 'NotFoundError', 'Not Found');
    if (bearer(h) !== GOOD_KEY) return err(401, 'Unauthorized', 'Unauthorized');
    if (refused in b)
      return err(
        400,
        'BadRequestError',
        `[{'type': 'extra_forbidden', 'loc': ('body', '${refused}'), 'msg': 'Extra inputs are not permitted'}]`,
      );
    const model = String(b.model ?? '');
    if (model !== 'served-model')
      return err(404, 'NotFoundError', `The model \`${model}\` does not exist.`);
    return [
      200,
      {
        id: 'v-1',
        object: 'chat.completion',
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'OK' } }],
      },
    ];
  };
}

const BASES: Record<ProviderKind, string> = {
  openai: '/v1',
  anthropic: '',
  gemini: '/v1beta/openai/',
  nvidia: '/v1',
  compatible: '/v1',
};

export async function startProviderServer(
  kind: ProviderKind,
  o: { tokenField?: 'max_tokens' | 'max_completion_tokens' } = {},
): Promise<ProviderServer> {
  const handler: Handler =
    kind === 'openai'
      ? openai
      : kind === 'anthropic'
        ? anthropic
        : kind === 'gemini'
          ? gemini
          : kind === 'nvidia'
            ? nvidia
            : compatible(o.tokenField ?? 'max_tokens');
  const requests: ProviderServer['requests'] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: Record<string, unknown>;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end('{"error":{"message":"invalid JSON"}}');
        return;
      }
      const path = (req.url ?? '').replace(/\?.*$/, '');
      requests.push({ path, headers: req.headers, body });
      const [status, doc] = handler(path, req.headers, body);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    base: `${url}${BASES[kind]}`,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
