/**
 * `https://inference.local` (proxy.rs `handle_inference_interception` and
 * crates/openshell-router/src/backend.rs): only the inference paths are served (others: 403
 * `{"error":"connection not allowed by policy"}`); no route: 503 "cluster inference is not
 * configured"; the caller's `authorization`/`x-api-key` and every header outside the allowlist
 * are dropped (`sanitize_request_headers`), the route's key is injected the provider's way
 * (Bearer, or `x-api-key` for Anthropic, crates/openshell-core/src/inference.rs), a JSON body's
 * `model` is set to the route's model, the URL is the provider's base URL plus the path with a
 * duplicate `/v1` removed (`build_backend_url`), and the answer streams back as it comes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SandboxCtx } from './context.ts';
import { apiInference, appendOcsf } from './ocsf.ts';
import { credentialsOf } from './secrets.ts';

const PATHS = [
  /^\/v1\/chat\/completions$/,
  /^\/v1\/completions$/,
  /^\/v1\/responses$/,
  /^\/v1\/embeddings$/,
  /^\/v1\/models(\/.*)?$/,
  /^\/v1\/messages$/,
];

interface Profile {
  key: string;
  baseKeys: string[];
  base: string;
  auth: 'bearer' | 'x-api-key';
  defaults: Record<string, string>;
  passthrough: string[];
}

/** crates/openshell-core/src/inference.rs provider profiles. */
const PROFILES: Record<string, Profile> = {
  openai: { key: 'OPENAI_API_KEY', baseKeys: ['OPENAI_BASE_URL'], base: 'https://api.openai.com/v1', auth: 'bearer', defaults: {}, passthrough: [] },
  anthropic: { key: 'ANTHROPIC_API_KEY', baseKeys: ['ANTHROPIC_BASE_URL'], base: 'https://api.anthropic.com/v1', auth: 'x-api-key', defaults: { 'anthropic-version': '2023-06-01' }, passthrough: ['anthropic-version', 'anthropic-beta'] },
  nvidia: { key: 'NVIDIA_API_KEY', baseKeys: ['NVIDIA_BASE_URL'], base: 'https://integrate.api.nvidia.com/v1', auth: 'bearer', defaults: {}, passthrough: [] },
  deepinfra: { key: 'DEEPINFRA_API_KEY', baseKeys: ['DEEPINFRA_BASE_URL'], base: 'https://api.deepinfra.com/v1/openai', auth: 'bearer', defaults: {}, passthrough: [] },
}; // prettier-ignore

const COMMON = ['content-type', 'accept', 'accept-encoding', 'user-agent'];

export function backendUrl(base: string, path: string): string {
  const b = base.replace(/\/+$/, '');
  const basePath = new URL(b).pathname;
  const edge = basePath.startsWith('/v1/') || basePath.endsWith('/v1');
  if (edge && (path === '/v1' || path.startsWith('/v1/'))) return b + path.slice(3);
  return b + path;
}

function jsonError(res: ServerResponse, status: number, body: unknown): void {
  const s = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(s),
  });
  res.end(s);
}

export function handleInference(
  stateDir: string,
  sb: SandboxCtx,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const path = (req.url ?? '/').split('?')[0]!;
  if (!PATHS.some((re) => re.test(path))) {
    return jsonError(res, 403, { error: 'connection not allowed by policy' });
  }
  const route = sb.srv.routes['inference.local'];
  const provider = route ? sb.srv.providers[route.provider] : undefined;
  if (!route || !provider) {
    return jsonError(res, 503, {
      error: 'cluster inference is not configured',
      hint: 'run: openshell cluster inference set --help',
    });
  }
  const profile = PROFILES[provider.type];
  if (!profile)
    return jsonError(res, 503, {
      error: `provider type ${provider.type} is not simulated for inference`,
    });
  const creds = credentialsOf(stateDir, sb.endpoint, sb.rec.workspace, provider.name);
  const base = profile.baseKeys.map((k) => provider.config[k]).find(Boolean) ?? profile.base;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let body = Buffer.concat(chunks);
    try {
      const obj = JSON.parse(body.toString('utf8')) as unknown;
      if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
        (obj as Record<string, unknown>).model = route.model;
        body = Buffer.from(JSON.stringify(obj));
      }
    } catch {
      // not JSON: passed through unchanged, as the router does
    }
    const allowed = new Set([...COMMON, ...profile.passthrough, ...Object.keys(profile.defaults)]);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && allowed.has(k.toLowerCase())) headers[k] = v;
    }
    for (const [k, v] of Object.entries(profile.defaults)) headers[k] ??= v;
    const key = creds[profile.key] ?? '';
    if (profile.auth === 'bearer') headers.authorization = `Bearer ${key}`;
    else headers['x-api-key'] = key;
    headers['content-length'] = String(body.length);
    const url = new URL(backendUrl(base, req.url ?? path));
    const send = url.protocol === 'https:' ? httpsRequest : request;
    const started = Date.now();
    const timeoutMs = (route.timeout_secs || 60) * 1000;
    const up = send(url, { method: req.method, headers, timeout: timeoutMs }, (r) => {
      appendOcsf(
        stateDir,
        sb.rec.id,
        apiInference({
          ok: (r.statusCode ?? 502) < 400,
          model: route.model,
          provider: provider.name,
          latencyMs: Date.now() - started,
          method: req.method ?? 'POST',
          path,
        }),
      );
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) out[k] = v;
      res.writeHead(r.statusCode ?? 502, out);
      r.pipe(res);
    });
    up.on('timeout', () => up.destroy(new Error('request timed out')));
    up.on('error', (e) => {
      appendOcsf(
        stateDir,
        sb.rec.id,
        `NET:FAIL [LOW] inference endpoint detected but upstream service failed: ${e.message}`,
      );
      if (!res.headersSent) jsonError(res, 502, { error: `upstream failed: ${e.message}` });
      else res.destroy();
    });
    up.end(body);
  });
}
