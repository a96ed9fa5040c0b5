/**
 * A loopback OpenAI-compatible server that answers like the real API: `GET /v1/models`, and
 * `POST /v1/chat/completions` both plain and streamed (`stream: true` → `text/event-stream` chunks
 * with `choices[0].delta`, a usage chunk when asked, then `data: [DONE]`). Only one key is accepted
 * (401 otherwise, with the real API's error shape); every request is recorded so a test can say
 * which key it carried.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface StreamServer {
  url: string;
  port: number;
  requests: { method: string; path: string; headers: IncomingMessage['headers']; body: any }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

export async function startOpenAIStreamServer(o: {
  key: string;
  models: string[];
  /** The assistant's answer to every chat request. */
  answer: string;
  host?: string;
}): Promise<StreamServer> {
  const requests: StreamServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { message: 'We could not parse the JSON body.', type: 'invalid_request_error' },
          }),
        );
        return;
      }
      const path = (req.url ?? '').replace(/\?.*$/, '');
      requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      const auth = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (auth !== o.key) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              message: 'Incorrect API key provided.',
              type: 'invalid_request_error',
              code: 'invalid_api_key',
            },
          }),
        );
        return;
      }
      if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            object: 'list',
            data: o.models.map((id) => ({ id, object: 'model', owned_by: 'test' })),
          }),
        );
        return;
      }
      if (req.method !== 'POST' || !/\/chat\/completions$/.test(path)) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              message: `Unknown request URL: ${req.method} ${path}`,
              type: 'invalid_request_error',
            },
          }),
        );
        return;
      }
      const model = String(body.model ?? '');
      const id = `chatcmpl-${requests.length}`;
      const created = Math.floor(Date.now() / 1000);
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id,
            object: 'chat.completion',
            created,
            model,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: o.answer },
                finish_reason: 'stop',
              },
            ],
            usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
          }),
        );
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      const chunk = (delta: object, finish: string | null) =>
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.write(chunk({ role: 'assistant', content: '' }, null));
      for (const piece of o.answer.match(/.{1,8}/gs) ?? [])
        res.write(chunk({ content: piece }, null));
      res.write(chunk({}, 'stop'));
      if (body.stream_options?.include_usage) {
        res.write(
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } })}\n\n`,
        );
      }
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, o.host ?? '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    port,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
