/**
 * Draft policy chunks: how a denied connection becomes a pending rule proposal, and how approving
 * one merges it into the sandbox's policy.
 *
 * Facts, from OpenShell v0.0.111:
 * - crates/openshell-sandbox/src/mechanistic_mapper.rs: one proposal per (host, port, binary);
 *   rule name `allow_<host with . and - as _>_<port>`; confidence 0.5 (+0.2 for ≥10 hits, +0.1 for
 *   ≥3, +0.15 on a well-known port, −0.2 for SSRF; clamped 0.1–0.95); rationale text; L7 samples
 *   become a `protocol: rest` endpoint with one allow per (method, generalised path); loopback,
 *   link-local, unspecified and metadata destinations are never proposed; security notes for
 *   internal addresses, ephemeral ports and database ports.
 * - crates/openshell-server/src/grpc/policy.rs (handle_submit_policy_analysis): the gateway gives
 *   each chunk a UUID v4; persistence (put_draft_chunk) dedups on (sandbox, host|port|binary):
 *   a repeat adds to hit_count and keeps the first row, its status and its rule.
 * - handle_approve_draft_chunk: only pending or rejected chunks; AddRule merge into the policy, a
 *   new revision. handle_reject_draft_chunk: only pending or approved (approved → rule removed).
 *
 * Simplified: the sandbox's denial aggregator flushes on a timer; here each recorded denial is
 * flushed at once. No prover runs, so `validation_result` stays empty.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxRec, SimState } from './state.ts';
import { allScopes, update } from './state.ts';

declare module './state.ts' {
  interface SandboxRec {
    drafts?: DraftChunkRec[];
    draft_version?: number;
  }
}

export interface DraftChunkRec {
  id: string;
  status: 'pending' | 'approved' | 'rejected';
  rule_name: string;
  proposed_rule: ProposedRule;
  rationale: string;
  security_notes: string;
  confidence: number;
  created_at_ms: number;
  decided_at_ms: number | null;
  stage: string;
  hit_count: number;
  first_seen_ms: number;
  last_seen_ms: number;
  binary: string;
  host: string;
  port: number;
  rejection_reason: string;
}

export interface ProposedEndpoint {
  host: string;
  port: number;
  protocol?: string;
  enforcement?: string;
  rules?: { allow: { method: string; path: string } }[];
}

export interface ProposedRule {
  name: string;
  endpoints: ProposedEndpoint[];
  binaries: { path: string }[];
}

/** What the proxy knows about one blocked request. */
export interface Denial {
  binary: string;
  host: string;
  port: number;
  /** Present for L7 (REST) denials. */
  method?: string;
  path?: string;
  /** e.g. `no matching policy`; `ssrf` marks an SSRF denial. */
  reason?: string;
  count?: number;
  at_ms?: number;
}

const WELL_KNOWN_PORTS: Record<number, string> = {
  80: 'HTTP',
  443: 'HTTPS',
  8080: 'HTTP-alt',
  8443: 'HTTPS-alt',
  5432: 'PostgreSQL',
  3306: 'MySQL',
  6379: 'Redis',
  27017: 'MongoDB',
  9200: 'Elasticsearch',
  9092: 'Kafka',
  2181: 'ZooKeeper',
  11211: 'Memcached',
  5672: 'RabbitMQ',
  6443: 'Kubernetes API',
  53: 'DNS',
  587: 'SMTP',
  993: 'IMAP',
  995: 'POP3',
};
const DB_PORTS = [5432, 3306, 6379, 27017, 9200, 11211, 5672];

export function ruleNameFor(host: string, port: number): string {
  const sanitized = host.replace(/[.-]/g, '_').replace(/[^A-Za-z0-9_]/g, '');
  return `allow_${sanitized}_${port}`;
}

function confidenceFor(count: number, port: number, ssrf: boolean): number {
  let score = 0.5;
  if (count >= 10) score += 0.2;
  else if (count >= 3) score += 0.1;
  if (WELL_KNOWN_PORTS[port]) score += 0.15;
  if (ssrf) score -= 0.2;
  return Math.min(0.95, Math.max(0.1, score));
}

function isInternalIp(host: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (!m) return /^(fc|fd)[0-9a-f]{2}:/i.test(host);
  const [a, b] = [Number(m[1]), Number(m[2])];
  return (
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

/** Destinations the proxy denies whatever the policy says (loopback, link-local, metadata). */
export function isAlwaysBlocked(host: string): boolean {
  const h = host.toLowerCase();
  return (
    /^127\./.test(h) ||
    h === '::1' ||
    h === '0.0.0.0' ||
    h === '::' ||
    /^169\.254\./.test(h) ||
    /^fe80:/i.test(h) ||
    h === 'metadata.google.internal' ||
    h === 'metadata'
  );
}

function securityNotes(host: string, port: number, ssrf: boolean): string {
  const notes: string[] = [];
  if (ssrf) {
    notes.push(
      'This connection was blocked by SSRF protection. Private IP access requires an explicit `allowed_ips` policy entry.',
    );
  }
  if (isInternalIp(host) || host === 'localhost') {
    notes.push(`Destination '${host}' appears to be an internal/private address.`);
  }
  if (port > 49152) {
    notes.push(`Port ${port} is in the ephemeral range — this may be a temporary service.`);
  }
  if (DB_PORTS.includes(port)) {
    notes.push(
      `Port ${port} is a well-known database/service port. Consider restricting with L7 rules or read-only access.`,
    );
  }
  return notes.join(' ');
}

function looksLikeId(seg: string): boolean {
  if (!seg) return false;
  if (/^\d+$/.test(seg) && seg.length >= 2) return true;
  const hex = seg.replace(/[^0-9a-fA-F]/g, '');
  if (hex.length >= 24 && seg.includes('-')) return true;
  return hex.length >= 16 && seg.length === hex.length;
}

/** `/v1/models/abc123…` → `/v1/models/*`; the query string is dropped. */
export function generalisePath(raw: string): string {
  const path = raw.split('?')[0]!;
  const segs = path.split('/');
  if (segs.length <= 1) return path;
  if (looksLikeId(segs.at(-1)!)) return `${segs.slice(0, -1).join('/')}/*`;
  return path;
}

/** The chunk the mapper and the gateway would make of this denial (not yet stored). */
export function proposalFor(d: Denial, now = Date.now()): DraftChunkRec | undefined {
  const host = d.host.toLowerCase();
  if (isAlwaysBlocked(host)) return undefined;
  const ssrf = d.reason === 'ssrf';
  const count = d.count ?? 1;
  const l7 = d.method !== undefined && d.path !== undefined;
  const endpoint: ProposedEndpoint = l7
    ? {
        host,
        port: d.port,
        protocol: 'rest',
        enforcement: 'enforce',
        rules: [{ allow: { method: d.method!, path: generalisePath(d.path!) } }],
      }
    : { host, port: d.port };
  const rule_name = ruleNameFor(host, d.port);
  const who = d.binary ? d.binary.split('/').at(-1)! : 'unknown binary';
  const portName = WELL_KNOWN_PORTS[d.port] ? ` (${WELL_KNOWN_PORTS[d.port]})` : '';
  const rationale = l7
    ? `Allow ${who} to connect to ${host}:${d.port}${portName} with L7 inspection. Allowed paths: ${d.method} ${d.path}.`
    : `Allow ${who} to connect to ${host}:${d.port}${portName}.`;
  const at = d.at_ms ?? now;
  return {
    id: randomUUID(),
    status: 'pending',
    rule_name,
    proposed_rule: {
      name: rule_name,
      endpoints: [endpoint],
      binaries: d.binary ? [{ path: d.binary }] : [],
    },
    rationale,
    security_notes: securityNotes(host, d.port, ssrf),
    confidence: confidenceFor(count, d.port, ssrf),
    created_at_ms: now,
    decided_at_ms: null,
    stage: ssrf ? 'ssrf' : l7 ? 'l7' : 'connect',
    hit_count: Math.min(100, Math.max(1, count)),
    first_seen_ms: at,
    last_seen_ms: at,
    binary: d.binary,
    host,
    port: d.port,
    rejection_reason: '',
  };
}

/**
 * Turns one denial into a pending draft chunk of the sandbox (or adds a hit to the chunk that
 * already covers its host, port and binary). Returns the chunk id, or undefined when OpenShell
 * would not propose a rule for it.
 */
export function recordDenial(
  state: SimState,
  sandbox: string,
  d: Denial,
  endpoint?: string,
): string | undefined {
  const rec = findRec(state, sandbox, endpoint);
  const proposal = proposalFor(d);
  if (!proposal) return undefined;
  const drafts = (rec.drafts ??= []);
  const existing = drafts.find(
    (c) => c.host === proposal.host && c.port === proposal.port && c.binary === proposal.binary,
  );
  rec.draft_version = (rec.draft_version ?? 0) + 1;
  if (existing) {
    existing.hit_count += proposal.hit_count;
    existing.last_seen_ms = proposal.last_seen_ms;
    return existing.id;
  }
  drafts.push(proposal);
  return proposal.id;
}

/** recordDenial on the state folder `dir`, under the simulator's state lock (for tests). */
export function recordDenialAt(dir: string, sandbox: string, d: Denial): string | undefined {
  const before = process.env.OPENSHELL_SIM_STATE;
  process.env.OPENSHELL_SIM_STATE = dir;
  try {
    return update((s) => recordDenial(s, sandbox, d));
  } finally {
    if (before === undefined) delete process.env.OPENSHELL_SIM_STATE;
    else process.env.OPENSHELL_SIM_STATE = before;
  }
}

function findRec(state: SimState, sandbox: string, endpoint?: string): SandboxRec {
  const servers = allScopes(state)
    .filter(([e]) => !endpoint || e === endpoint)
    .map(([, srv]) => srv);
  for (const srv of servers) {
    const rec = srv?.sandboxes[sandbox];
    if (rec) return rec;
  }
  throw new Error(`simulator: no sandbox '${sandbox}' to record a denial for`);
}

/** The policy with the chunk's rule added (AddRule: endpoints and binaries are unioned). */
export function mergeRule(
  policy: Record<string, unknown>,
  name: string,
  rule: ProposedRule,
): Record<string, unknown> {
  const np = { ...((policy.network_policies ?? {}) as Record<string, ProposedRule>) };
  const cur = np[name];
  if (!cur) np[name] = structuredClone(rule);
  else {
    const eps = [...(cur.endpoints ?? [])];
    for (const e of rule.endpoints) {
      if (!eps.some((x) => x.host === e.host && x.port === e.port)) eps.push(e);
    }
    const bins = [...(cur.binaries ?? [])];
    for (const b of rule.binaries) if (!bins.some((x) => x.path === b.path)) bins.push(b);
    np[name] = { ...cur, endpoints: eps, binaries: bins };
  }
  return { ...policy, network_policies: np };
}

/** The policy without the chunk's binary in its rule (the rule goes when no binary is left). */
export function removeRuleBinary(
  policy: Record<string, unknown>,
  name: string,
  binary: string,
): Record<string, unknown> {
  const np = { ...((policy.network_policies ?? {}) as Record<string, ProposedRule>) };
  const cur = np[name];
  if (!cur) return policy;
  const bins = (cur.binaries ?? []).filter((b) => b.path !== binary);
  if (bins.length === 0 || !binary) delete np[name];
  else np[name] = { ...cur, binaries: bins };
  return { ...policy, network_policies: np };
}
