/**
 * The sandbox egress proxy (crates/openshell-supervisor-network/src/proxy.rs): every sandbox
 * connection arrives here as `CONNECT host:port` or an absolute-form `http://` request.
 * - `inference.local` is intercepted before policy (proxy.rs "inference.local … skips OPA") and
 *   served over TLS with the sandbox CA (inference.ts).
 * - Otherwise the live `network_policies` decide (rules.ts); a denial answers 403 with the JSON
 *   body of proxy.rs `build_json_error_response[_with_reason]` and logs an OCSF line.
 * - An allowed CONNECT whose first bytes are a TLS ClientHello is terminated with a leaf from the
 *   sandbox CA unless the endpoint says `tls: skip` (contract §3: terminate is automatic), so
 *   REST rules (l7/rest.rs) and credential placeholders apply inside; anything else is piped.
 * - Forward requests with an `https` scheme get 400 "Use CONNECT for HTTPS URLs" (proxy.rs).
 */
import { type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type Socket, connect } from 'node:net';
import { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { type SandboxCtx, type Sandboxes, attachedCredentials, hostMap } from './context.ts';
import { livePolicies } from './context.ts';
import { leafFor } from './ca.ts';
import { handleInference } from './inference.ts';
import { appendDenial, appendOcsf, httpForward, httpL7, netOpen } from './ocsf.ts';
import { type Attribution, UNKNOWN, attribute } from './procfs.ts';
import { type Endpoint, decideL4, decideRest, isL7Rest } from './rules.ts';
import { resolvePlaceholders } from './secrets.ts';

interface Conn {
  sb: SandboxCtx;
  who: Attribution;
  host: string;
  port: number;
  kind: 'inference' | 'egress';
  policy: string;
  endpoint?: Endpoint;
}

function jsonResponse(status: number, text: string, body: unknown, extra = ''): string {
  const s = JSON.stringify(body);
  return `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(s)}\r\n${extra}Connection: close\r\n\r\n${s}`;
}

function splitAuthority(a: string, def: number): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(a);
  return { host: (m?.[1] ?? a).toLowerCase(), port: m?.[2] ? Number(m[2]) : def };
}

export function createProxy(stateDir: string, sandboxes: Sandboxes, proxyPort: number) {
  const hosts = hostMap();
  const conns = new WeakMap<Socket, Conn>();

  const who = (sb: SandboxCtx, sock: Socket): Attribution => {
    if (!sb.nsPid || !sock.remotePort) return UNKNOWN;
    try {
      return attribute(sb.nsPid, sock.remotePort, proxyPort);
    } catch {
      return UNKNOWN;
    }
  };

  const denial = (
    c: Omit<Conn, 'kind' | 'policy'>,
    reason: string,
    stage: string,
    l7?: [string, string],
  ) =>
    appendDenial(stateDir, {
      ts: Date.now(),
      sandbox: c.sb.rec.name,
      sandbox_id: c.sb.rec.id,
      host: c.host,
      port: c.port,
      binary: c.who.binary,
      ancestors: c.who.ancestors,
      deny_reason: reason,
      denial_stage: stage,
      l7_method: l7?.[0] ?? null,
      l7_path: l7?.[1] ?? null,
    });

  /** The upstream for host:port: a mapped test server, else the host itself. */
  const upstream = (host: string, port: number, scheme: 'http' | 'https'): URL =>
    hosts.get(`${host}:${port}`) ?? new URL(`${scheme}://${host}:${port}`);

  /** L7 REST check (l7/rest.rs); true when the request may pass. */
  function l7Allows(c: Conn, req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (!c.endpoint || !isL7Rest(c.endpoint)) return true;
    const method = req.method ?? 'GET';
    const reason = decideRest(c.endpoint, method, path);
    // Anything but `enforce` audits (l7/mod.rs: EnforcementMode defaults to Audit).
    const audit = c.endpoint.enforcement !== 'enforce';
    const decision = reason === null ? 'allow' : audit ? 'audit' : 'deny';
    const line = { method, host: c.host, port: c.port, path, policy: c.policy };
    appendOcsf(stateDir, c.sb.rec.id, httpL7({ ...line, decision, reason: reason ?? 'allowed' }));
    if (decision !== 'deny') return true;
    denial(c, reason!, 'l7', [method, path]);
    const rule_missing = {
      type: 'rest_allow',
      layer: 'l7',
      method,
      path,
      host: c.host,
      port: c.port,
      binary: c.who.binary,
    };
    const body = {
      error: 'policy_denied', policy: c.policy, rule: `${method} ${path}`, detail: reason,
      layer: 'l7', protocol: 'rest', method, path, host: c.host, port: c.port,
      binary: c.who.binary, rule_missing,
    }; // prettier-ignore
    const s = JSON.stringify(body);
    res.writeHead(403, 'Forbidden', {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(s),
      'X-OpenShell-Policy': c.policy,
      Connection: 'close',
    });
    res.end(s);
    return false;
  }

  /** Sends the request on, placeholders resolved in path and headers, and streams the answer. */
  function relay(c: Conn, req: IncomingMessage, res: ServerResponse, target: URL, path: string) {
    const values = attachedCredentials(stateDir, c.sb);
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || /^proxy-/i.test(k)) continue;
      headers[k] = Array.isArray(v)
        ? v.map((x) => resolvePlaceholders(x, values))
        : resolvePlaceholders(v, values);
    }
    headers.host =
      c.port === (target.protocol === 'https:' ? 443 : 80) ? c.host : `${c.host}:${c.port}`;
    const base = target.pathname.replace(/\/$/, '');
    const send = target.protocol === 'https:' ? httpsRequest : request;
    const up = send(
      {
        host: target.hostname,
        port: Number(target.port) || (target.protocol === 'https:' ? 443 : 80),
        method: req.method,
        path: base + resolvePlaceholders(path, values),
        headers,
        servername: c.host,
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.statusMessage, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream ${c.host}:${c.port} failed: ${e.message}\n`);
    });
    req.pipe(up);
  }

  // Requests inside a terminated TLS tunnel.
  const inner = createServer((req, res) => {
    const c = conns.get(req.socket);
    if (!c) return void res.writeHead(500).end();
    if (c.kind === 'inference') return void handleInference(stateDir, c.sb, req, res);
    const path = req.url ?? '/';
    if (!l7Allows(c, req, res, path)) return;
    relay(c, req, res, upstream(c.host, c.port, 'https'), path);
  });

  function terminate(c: Conn, client: Socket, first: Buffer): void {
    // A stream (not the socket's handle) under TLS, so the bytes already read come first.
    const plain = new Duplex({
      read: () => void client.resume(),
      write: (chunk: Buffer, _enc, cb) => void client.write(chunk, cb),
      final: (cb) => {
        client.end();
        cb();
      },
      destroy: (e, cb) => {
        client.destroy();
        cb(e);
      },
    });
    plain.push(first);
    client.on('data', (d: Buffer) => {
      if (!plain.push(d)) client.pause();
    });
    client.on('end', () => plain.push(null));
    client.on('close', () => plain.destroy());
    void leafFor(stateDir, c.host).then(
      ({ cert, key }) => {
        const tls = new TLSSocket(plain as unknown as Socket, { isServer: true, cert, key });
        tls.on('error', () => client.destroy());
        conns.set(tls, c);
        inner.emit('connection', tls);
      },
      () => client.destroy(),
    );
  }

  function pipeRaw(c: Conn, client: Socket, first: Buffer): void {
    const t = upstream(c.host, c.port, 'https');
    const up = connect({ host: t.hostname, port: Number(t.port) || c.port }, () => {
      up.write(first);
      client.pipe(up).pipe(client);
    });
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  }

  async function onConnect(req: IncomingMessage, client: Socket, head: Buffer): Promise<void> {
    client.on('error', () => {});
    const { host, port } = splitAuthority(req.url ?? '', 443);
    const sb = await sandboxes.lookup(client.remoteAddress ?? '');
    if (!sb) {
      client.end(
        jsonResponse(403, 'Forbidden', { error: 'policy_denied', detail: 'unknown sandbox' }),
      );
      return;
    }
    const w = who(sb, client);
    let c: Conn;
    if (host === 'inference.local') {
      c = { sb, who: w, host, port, kind: 'inference', policy: '-' };
    } else {
      const d = decideL4(livePolicies(sb.rec), host, port, {
        path: w.binary,
        ancestors: w.ancestors,
      });
      const line = { binary: w.binary, pid: w.pid, host, port };
      if (!d.allow) {
        appendOcsf(
          stateDir,
          sb.rec.id,
          netOpen({ ...line, allowed: false, policy: '-', reason: d.reason }),
        );
        denial({ sb, who: w, host, port }, d.reason, 'connect');
        const detail = `CONNECT ${host}:${port} not permitted by policy`;
        client.end(
          jsonResponse(403, 'Forbidden', { error: 'policy_denied', detail, reason: d.reason }),
        );
        return;
      }
      appendOcsf(stateDir, sb.rec.id, netOpen({ ...line, allowed: true, policy: d.policy }));
      c = { sb, who: w, host, port, kind: 'egress', policy: d.policy, endpoint: d.endpoint };
    }
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    const start = (first: Buffer) => {
      client.pause(); // a 'data' listener left it flowing: hold the bytes for the next reader
      const tlsHello = first[0] === 0x16;
      if (c.kind === 'inference' || (tlsHello && c.endpoint?.tls !== 'skip'))
        terminate(c, client, first);
      else pipeRaw(c, client, first);
    };
    if (head.length > 0) start(head);
    else client.once('data', (chunk: Buffer) => start(chunk));
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '';
    if (/^https:\/\//i.test(target)) {
      res.writeHead(400, 'Bad Request', { 'Content-Length': 27 });
      return void res.end('Use CONNECT for HTTPS URLs');
    }
    let url: URL;
    try {
      url = new URL(target);
      if (url.protocol !== 'http:') throw new Error('scheme');
    } catch {
      res.writeHead(400, 'Bad Request', { 'content-type': 'application/json' });
      return void res.end(
        JSON.stringify({
          error: 'unsupported_proxy_scheme',
          detail: 'Forward proxy requests must use http',
        }),
      );
    }
    const { host, port } = splitAuthority(url.host, 80);
    const path = `${url.pathname}${url.search}`;
    const sb = await sandboxes.lookup(req.socket.remoteAddress ?? '');
    if (!sb)
      return void res
        .writeHead(403)
        .end(JSON.stringify({ error: 'policy_denied', detail: 'unknown sandbox' }));
    const w = who(sb, req.socket);
    const method = req.method ?? 'GET';
    const d = decideL4(livePolicies(sb.rec), host, port, {
      path: w.binary,
      ancestors: w.ancestors,
    });
    const line = { binary: w.binary, pid: w.pid, method, host, port, path };
    if (!d.allow) {
      appendOcsf(
        stateDir,
        sb.rec.id,
        httpForward({ ...line, allowed: false, policy: '-', reason: d.reason }),
      );
      denial({ sb, who: w, host, port }, d.reason, 'forward', [method, path]);
      const s = JSON.stringify({
        error: 'policy_denied',
        detail: `${method} ${host}:${port}${path} not permitted by policy`,
      });
      res.writeHead(403, 'Forbidden', {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(s),
        Connection: 'close',
      });
      return void res.end(s);
    }
    const c: Conn = {
      sb,
      who: w,
      host,
      port,
      kind: 'egress',
      policy: d.policy,
      endpoint: d.endpoint,
    };
    if (!isL7Rest(d.endpoint))
      appendOcsf(stateDir, sb.rec.id, httpForward({ ...line, allowed: true, policy: d.policy }));
    if (!l7Allows(c, req, res, path)) return;
    relay(c, req, res, upstream(host, port, 'http'), path);
  }

  const server = createServer((req, res) => void onRequest(req, res));
  server.on(
    'connect',
    (req: IncomingMessage, sock: Socket, head: Buffer) => void onConnect(req, sock, head),
  );
  return server;
}
