/**
 * `policy-check`: decide one request against a policy the way OpenShell's engine does — endpoint
 * (exact or wildcard host, port), binary (exact or glob, the process or an ancestor), then for
 * inspected endpoints the L7 rules, where a deny rule beats every allow — and say which rule
 * decided it.
 */
import { globMatch } from './glob.ts';
import type { Endpoint, L7Allow, L7Deny, NetworkPolicies, QueryMatcher } from './schema.ts';

export interface CheckRequest {
  host: string;
  port: number;
  method: string;
  /** Canonical path, without the query. */
  path: string;
  query: Record<string, string[]>;
  /** The calling executable; undefined checks the endpoint and reports which binaries may call. */
  binary?: string;
  /** Executables above it in the process tree (OpenShell also allows a listed ancestor). */
  ancestors?: string[];
}

export interface RuleRef {
  key: string;
  endpoint: number;
  /** `rules[i]`, `deny_rules[i]`, `access: <level>`, or `L4` for an uninspected endpoint. */
  rule: string;
  /** A one-line description of what the rule says. */
  summary: string;
}

export type CheckDecision =
  | { decision: 'allow'; by: RuleRef; binaries: string[] }
  | { decision: 'deny'; reason: 'deny-rule'; by: RuleRef }
  | { decision: 'deny'; reason: 'binary'; keys: string[]; binaries: string[] }
  | { decision: 'deny'; reason: 'l7'; keys: string[] }
  | { decision: 'deny'; reason: 'no-endpoint' };

const ACCESS_METHODS: Record<string, string[]> = {
  'read-only': ['GET', 'HEAD', 'OPTIONS'],
  'read-write': ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH'],
};
const WS_ACCESS_METHODS: Record<string, string[]> = {
  'read-only': ['GET'],
  'read-write': ['GET', 'WEBSOCKET_TEXT'],
};

/** Parses a URL for a check. Throws TypeError for a malformed one. */
export function requestFromUrl(
  url: string,
  o: { method?: string; binary?: string } = {},
): CheckRequest {
  const u = new URL(url);
  const defaults: Record<string, number> = { 'https:': 443, 'wss:': 443, 'http:': 80, 'ws:': 80 };
  const port = u.port ? Number(u.port) : defaults[u.protocol];
  if (port === undefined)
    throw new TypeError(`unsupported scheme ${u.protocol} (use http or https)`);
  const query: Record<string, string[]> = {};
  for (const [k, v] of u.searchParams) (query[k] ??= []).push(v);
  return {
    host: u.hostname.replace(/^\[|\]$/g, '').toLowerCase(),
    port,
    method: (o.method ?? 'GET').toUpperCase(),
    path: safeDecode(u.pathname) || '/',
    query,
    binary: o.binary,
  };
}

function safeDecode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  return p.includes('*') ? globMatch(p, ['.'], h) : p === h;
}

export function endpointPorts(ep: Endpoint): number[] {
  return ep.ports && ep.ports.length > 0 ? ep.ports : ep.port ? [ep.port] : [];
}

function endpointMatches(ep: Endpoint, req: CheckRequest): boolean {
  if (!endpointPorts(ep).includes(req.port)) return false;
  const host = ep.host ?? '';
  if (host === '') return (ep.allowed_ips?.length ?? 0) > 0;
  return hostMatches(host, req.host);
}

export function binaryMatches(pattern: string, paths: string[]): boolean {
  return paths.some((p) => (pattern.includes('*') ? globMatch(pattern, ['/'], p) : pattern === p));
}

export function methodMatches(actual: string, expected: string): boolean {
  if (expected === '*') return true;
  const a = actual.toUpperCase();
  const e = expected.toUpperCase();
  // HEAD is GET without a body, so a GET rule allows it.
  return a === e || (a === 'HEAD' && e === 'GET');
}

export function pathMatches(actual: string, pattern: string): boolean {
  return pattern === '**' || globMatch(pattern, ['/'], actual);
}

function queryValueMatches(value: string, m: QueryMatcher): boolean {
  if (typeof m === 'string') return globMatch(m, [], value);
  return m.any.some((g) => globMatch(g, [], value));
}

/** Allow side: every configured key must be present and every one of its values must match. */
function allowQueryMatches(req: CheckRequest, q: Record<string, QueryMatcher> | undefined) {
  return Object.entries(q ?? {}).every(([k, m]) => {
    const vals = req.query[k];
    return vals !== undefined && vals.length > 0 && vals.every((v) => queryValueMatches(v, m));
  });
}

/** Deny side: fail closed — any value of a configured key that matches triggers the deny. */
function denyQueryMatches(req: CheckRequest, q: Record<string, QueryMatcher> | undefined) {
  const entries = Object.entries(q ?? {});
  if (entries.length === 0) return true;
  return entries.some(([k, m]) => (req.query[k] ?? []).some((v) => queryValueMatches(v, m)));
}

function isInspected(ep: Endpoint): boolean {
  const p = (ep.protocol ?? '').toLowerCase();
  return p !== '' && p !== 'tcp';
}

function endpointPathSelects(ep: Endpoint, req: CheckRequest): boolean {
  return !ep.path || pathMatches(req.path, ep.path);
}

function allowRule(rule: L7Allow | L7Deny, req: CheckRequest, deny: boolean): boolean {
  if (!rule.method) return false;
  if (!methodMatches(req.method, rule.method)) return false;
  if (!pathMatches(req.path, rule.path ?? '')) return false;
  return deny ? denyQueryMatches(req, rule.query) : allowQueryMatches(req, rule.query);
}

function accessAllows(ep: Endpoint, req: CheckRequest): boolean {
  if (!ep.access) return false;
  if (ep.access === 'full') return true;
  const table =
    (ep.protocol ?? '').toLowerCase() === 'websocket' ? WS_ACCESS_METHODS : ACCESS_METHODS;
  return (table[ep.access] ?? []).includes(req.method.toUpperCase());
}

function describeAllow(r: L7Allow | L7Deny): string {
  const q = r.query ? ` ?${Object.keys(r.query).join('&')}` : '';
  return `${r.method ?? '(any)'} ${r.path ?? ''}${q}`.trim();
}

function describeEndpoint(ep: Endpoint): string {
  return `${ep.host || '(allowed_ips)'}:${endpointPorts(ep).join(',')}`;
}

/** Decides `req` against `policies`. Keys are visited in sorted order, as OpenShell does. */
export function checkRequest(policies: NetworkPolicies, req: CheckRequest): CheckDecision {
  const callers = req.binary ? [req.binary, ...(req.ancestors ?? [])] : [];
  const keys = Object.keys(policies).sort();
  const endpointKeys: string[] = [];
  const endpointBinaries: string[] = [];
  type Hit = { key: string; index: number; ep: Endpoint; binaries: string[] };
  const hits: Hit[] = [];
  for (const key of keys) {
    const entry = policies[key]!;
    const binaries = (entry.binaries ?? []).map((b) => b.path);
    const eps = (entry.endpoints ?? [])
      .map((ep, index) => ({ ep, index }))
      .filter(({ ep }) => endpointMatches(ep, req));
    if (eps.length === 0) continue;
    endpointKeys.push(key);
    endpointBinaries.push(...binaries);
    if (req.binary && !binaries.some((b) => binaryMatches(b, callers))) continue;
    for (const { ep, index } of eps) hits.push({ key, index, ep, binaries });
  }
  if (endpointKeys.length === 0) return { decision: 'deny', reason: 'no-endpoint' };
  if (hits.length === 0) {
    return {
      decision: 'deny',
      reason: 'binary',
      keys: endpointKeys,
      binaries: [...new Set(endpointBinaries)],
    };
  }

  const selected = hits.filter((h) => endpointPathSelects(h.ep, req));
  // Deny beats allow, across every matching entry. Under `enforcement: audit` (OpenShell's
  // default when the field is absent) an L7 denial is only logged, so the request goes through.
  for (const h of selected) {
    if (!isInspected(h.ep)) continue;
    const i = (h.ep.deny_rules ?? []).findIndex((d) => allowRule(d, req, true));
    if (i >= 0) {
      const d = h.ep.deny_rules![i]!;
      const by = {
        key: h.key,
        endpoint: h.index,
        rule: `deny_rules[${i}]`,
        summary: `deny ${describeAllow(d)}`,
      };
      if (h.ep.enforcement !== 'enforce') {
        by.summary += ' (enforcement audit: logged, not blocked)';
        return { decision: 'allow', by, binaries: h.binaries };
      }
      return { decision: 'deny', reason: 'deny-rule', by };
    }
  }
  for (const h of selected) {
    const at = describeEndpoint(h.ep);
    if (!isInspected(h.ep)) {
      const summary = `${at}, not inspected (L4): any method and path`;
      return {
        decision: 'allow',
        by: { key: h.key, endpoint: h.index, rule: 'L4', summary },
        binaries: h.binaries,
      };
    }
    if (accessAllows(h.ep, req)) {
      const summary = `${at}, access ${h.ep.access}`;
      const by = { key: h.key, endpoint: h.index, rule: `access: ${h.ep.access}`, summary };
      return { decision: 'allow', by, binaries: h.binaries };
    }
    const i = (h.ep.rules ?? []).findIndex((r) => allowRule(r.allow, req, false));
    if (i >= 0) {
      const summary = `${at}, allow ${describeAllow(h.ep.rules![i]!.allow)}`;
      const by = { key: h.key, endpoint: h.index, rule: `rules[${i}]`, summary };
      return { decision: 'allow', by, binaries: h.binaries };
    }
  }
  const audited = selected.find((h) => isInspected(h.ep) && h.ep.enforcement !== 'enforce');
  if (audited) {
    const summary = `${describeEndpoint(audited.ep)}, no rule allows ${req.method} ${req.path} (enforcement audit: logged, not blocked)`;
    const by = { key: audited.key, endpoint: audited.index, rule: 'audit', summary };
    return { decision: 'allow', by, binaries: audited.binaries };
  }
  return { decision: 'deny', reason: 'l7', keys: [...new Set(hits.map((h) => h.key))] };
}

/** Presets (by name) whose entries alone would allow the request. */
export function presetsThatAllow(
  presets: { name: string; entries: NetworkPolicies }[],
  req: CheckRequest,
): string[] {
  return presets
    .filter((p) => checkRequest(p.entries, req).decision === 'allow')
    .map((p) => p.name);
}
