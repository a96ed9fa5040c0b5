/**
 * For data-plane tests: a loopback server standing for every outside host (it records what it saw;
 * `/v1/chat/completions` answers as an SSE stream with the model it was asked for), and the files
 * that put this host's node into a busybox image.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback server standing for every outside host; inference answers stream as SSE. */
export async function startUpstream() {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/v1/chat/completions') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const model = (JSON.parse(body) as { model: string }).model;
        res.write(`data: {"model":"${model}","choices":[{"delta":{"content":"hel"}}]}\n\n`);
        res.write('data: {"choices":[{"delta":{"content":"lo"}}]}\n\n');
        res.end('data: [DONE]\n\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`upstream saw ${req.method} ${req.url}\n`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** This host's node binary and the libraries it links, as extra image files. */
export function nodeFiles() {
  const node = realpathSync(process.execPath);
  const libs = [
    '/lib/x86_64-linux-gnu/libdl.so.2',
    '/lib/x86_64-linux-gnu/libstdc++.so.6',
    '/lib/x86_64-linux-gnu/libm.so.6',
    '/lib/x86_64-linux-gnu/libgcc_s.so.1',
    '/lib/x86_64-linux-gnu/libpthread.so.0',
    '/lib/x86_64-linux-gnu/libc.so.6',
    '/lib64/ld-linux-x86-64.so.2',
  ];
  return [
    { path: '/usr/local/bin/node', content: readFileSync(node), mode: 0o755 },
    ...libs.map((l) => ({ path: l, content: readFileSync(realpathSync(l)), mode: 0o755 })),
  ];
}
