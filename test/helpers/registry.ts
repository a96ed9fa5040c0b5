/**
 * A small OCI distribution (Docker Registry HTTP API v2) server on loopback, enough for the
 * Docker Engine to push and pull images: blob uploads (POST, PATCH, PUT ?digest=), blob and
 * manifest HEAD/GET, manifest PUT. The Engine treats 127.0.0.0/8 registries as insecure, so no TLS.
 * Everything is kept in memory; `manifests` lets a test see what was pushed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestRegistry {
  /** host:port, e.g. 127.0.0.1:41234 */
  host: string;
  /** repository → reference (tag or digest) → media type */
  manifests: Map<string, Map<string, string>>;
  close(): Promise<void>;
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function body(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

export async function startRegistry(): Promise<TestRegistry> {
  const blobs = new Map<string, Buffer>();
  const uploads = new Map<string, Buffer>();
  const manifestBodies = new Map<string, { type: string; data: Buffer }>(); // repo@ref
  const manifests = new Map<string, Map<string, string>>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const send = (code: number, headers: Record<string, string> = {}, data?: Buffer) => {
      res.writeHead(code, { 'Docker-Distribution-API-Version': 'registry/2.0', ...headers });
      res.end(req.method === 'HEAD' ? undefined : data);
    };
    if (path === '/v2/' || path === '/v2')
      return send(200, { 'content-type': 'application/json' }, Buffer.from('{}'));
    let m = /^\/v2\/(.+)\/blobs\/uploads\/([^/]*)$/.exec(path);
    if (m) {
      const [, repo, id] = m;
      if (req.method === 'POST') {
        const uuid = randomUUID();
        uploads.set(uuid, await body(req));
        const digest = url.searchParams.get('digest');
        if (digest) {
          blobs.set(digest, uploads.get(uuid)!);
          uploads.delete(uuid);
          return send(201, {
            Location: `/v2/${repo}/blobs/${digest}`,
            'Docker-Content-Digest': digest,
          });
        }
        return send(202, {
          Location: `/v2/${repo}/blobs/uploads/${uuid}`,
          Range: '0-0',
          'Docker-Upload-UUID': uuid,
          'Content-Length': '0',
        });
      }
      const cur = uploads.get(id!);
      if (!cur) return send(404);
      const data = Buffer.concat([cur, await body(req)]);
      uploads.set(id!, data);
      if (req.method === 'PATCH') {
        return send(202, {
          Location: `/v2/${repo}/blobs/uploads/${id}`,
          Range: `0-${Math.max(0, data.length - 1)}`,
          'Docker-Upload-UUID': id!,
          'Content-Length': '0',
        });
      }
      if (req.method === 'PUT') {
        const digest = url.searchParams.get('digest') ?? '';
        if (sha(data) !== digest) return send(400);
        blobs.set(digest, data);
        uploads.delete(id!);
        return send(201, {
          Location: `/v2/${repo}/blobs/${digest}`,
          'Docker-Content-Digest': digest,
          'Content-Length': '0',
        });
      }
      return send(405);
    }
    m = /^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]{64})$/.exec(path);
    if (m) {
      const b = blobs.get(m[2]!);
      if (!b) return send(404);
      return send(
        200,
        {
          'Content-Length': String(b.length),
          'Docker-Content-Digest': m[2]!,
          'content-type': 'application/octet-stream',
        },
        b,
      );
    }
    m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if (m) {
      const [, repo, ref] = m;
      if (req.method === 'PUT') {
        const data = await body(req);
        const type =
          req.headers['content-type'] ?? 'application/vnd.docker.distribution.manifest.v2+json';
        const digest = sha(data);
        for (const r of [ref!, digest]) manifestBodies.set(`${repo}@${r}`, { type, data });
        const refs = manifests.get(repo!) ?? new Map<string, string>();
        refs.set(ref!, type);
        refs.set(digest, type);
        manifests.set(repo!, refs);
        return send(201, {
          Location: `/v2/${repo}/manifests/${digest}`,
          'Docker-Content-Digest': digest,
          'Content-Length': '0',
        });
      }
      const found = manifestBodies.get(`${repo}@${ref}`);
      if (!found)
        return send(
          404,
          { 'content-type': 'application/json' },
          Buffer.from('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}'),
        );
      return send(
        200,
        {
          'content-type': found.type,
          'Content-Length': String(found.data.length),
          'Docker-Content-Digest': sha(found.data),
        },
        found.data,
      );
    }
    return send(404);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    manifests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
