/**
 * A local HTTP server speaking the OpenAI and Anthropic request shapes, with auth and failure
 * modes, for provider validation tests. Behaviour is chosen per request by the key or the model:
 * - key `good-key` (and any in `acceptKeys`) is accepted; `forbidden-key` → 403; anything else → 401;
 * - model `no-such-model` → 404 with a model error; `slow-model` → answers after 5 s;
 *   `broken-model` → 500; `busy-model` → 429.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface InferenceServer {
  url: string;
  port: number;
  requests: { path: string; headers: IncomingMessage['headers']; body: unknown }[];
  /** Accepts one more key from now on. */
  acceptKey(key: string): void;
  close(): Promise<void>;
}

export const GOOD_KEY = 'good-key';

/** A loopback port with nothing listening (fetch refuses some well-known ports outright). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export async function startInferenceServer(
  o: { models?: string[]; acceptKeys?: string[] } = {},
): Promise<InferenceServer> {
  const accepted = new Set([GOOD_KEY, ...(o.acceptKeys ?? [])]);
  const requests: InferenceServer['requests'] = [];
  const models = o.models ?? ['test-model', 'other-model'];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: { model?: string };
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return json(res, 400, { error: { message: 'bad json' } });
      }
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      handle(req, res, body, models, accepted);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    acceptKey: (k) => void accepted.add(k),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function json(res: ServerResponse, status: number, doc: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
}

function handle(
  req: IncomingMessage,
  res: ServerResponse,
  body: { model?: string },
  models: string[],
  accepted: Set<string>,
): void {
  const path = (req.url ?? '').replace(/\?.*$/, '');
  if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
    return json(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model' })) });
  }
  const openai = path === '/v1/chat/completions' || path === '/v1/responses';
  const anthropic = path === '/v1/messages';
  if (!openai && !anthropic) return json(res, 404, { error: { message: `no route ${path}` } });
  const key = anthropic
    ? req.headers['x-api-key']
    : (req.headers.authorization ?? '').replace(/^Bearer /, '');
  if (key === 'forbidden-key') return json(res, 403, { error: { message: 'forbidden' } });
  if (typeof key !== 'string' || !accepted.has(key))
    return json(res, 401, { error: { message: 'invalid api key' } });
  switch (body.model) {
    case 'no-such-model':
      return json(res, 404, {
        error: { message: `The model ${body.model} does not exist`, code: 'model_not_found' },
      });
    case 'broken-model':
      return json(res, 500, { error: { message: 'internal' } });
    case 'busy-model':
      return json(res, 429, { error: { message: 'slow down' } });
    case 'slow-model':
      setTimeout(() => json(res, 200, { ok: true }), 5000);
      return;
  }
  if (anthropic) {
    return json(res, 200, {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'OK' }],
      model: body.model,
    });
  }
  return json(res, 200, {
    id: 'c1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: 'OK' } }],
    model: body.model,
  });
}
