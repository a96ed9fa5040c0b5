/**
 * Blocked requests awaiting review: OpenShell's draft chunks seen as requests (binary, host, port,
 * method, path), with the presets that would already allow them, and the custom policy an approval
 * is persisted as. Pure.
 */
import type { RuleChunk } from '../openshell/rules.ts';
import { checkRequest, type CheckRequest } from './check.ts';
import type { NetworkPolicies } from './schema.ts';

export interface BlockedRequest {
  id: string;
  status: string;
  rule: string;
  binary: string;
  host: string;
  port: number;
  /** `*` when OpenShell saw only the connection (L4), not the HTTP request. */
  method: string;
  path: string;
  hits: number;
  security: string;
  /** Presets whose rules would allow it: adding one is the reviewed alternative. */
  coveredBy: string[];
}

function covers(entries: NetworkPolicies, req: CheckRequest, l4: boolean): boolean {
  const d = checkRequest(entries, req);
  // An L4 denial says nothing about the HTTP request: an endpoint and binary match is enough.
  return d.decision === 'allow' || (l4 && d.decision === 'deny' && d.reason === 'l7');
}

export function blockedRequests(
  chunks: RuleChunk[],
  presets: { name: string; entries: NetworkPolicies }[],
): BlockedRequest[] {
  const out: BlockedRequest[] = [];
  for (const c of chunks) {
    const eps =
      c.endpoints.length > 0 ? c.endpoints : [{ host: '', port: 0, layer: 'L4', allows: [] }];
    for (const ep of eps) {
      const allows = ep.allows.length > 0 ? ep.allows : [{ method: '*', path: '*' }];
      for (const a of allows) {
        const l4 = a.method === '*';
        const req: CheckRequest = {
          host: ep.host,
          port: ep.port,
          method: l4 ? 'GET' : a.method,
          path: l4 ? '/' : a.path,
          query: {},
          binary: c.binary || c.binaries[0] || undefined,
        };
        out.push({
          id: c.id,
          status: c.status,
          rule: c.rule,
          binary: c.binary || c.binaries.join(', '),
          host: ep.host,
          port: ep.port,
          method: a.method,
          path: a.path,
          hits: c.hits,
          security: c.security,
          coveredBy: presets.filter((p) => covers(p.entries, req, l4)).map((p) => p.name),
        });
      }
    }
  }
  return out;
}

/** Resolves a full chunk id or a unique prefix (history prints 8 characters). */
export function resolveChunkId(
  chunks: RuleChunk[],
  given: string,
): { id: string } | { error: 'none' | 'ambiguous'; matches: string[] } {
  const exact = chunks.find((c) => c.id === given);
  if (exact) return { id: exact.id };
  const matches = given.length >= 4 ? chunks.filter((c) => c.id.startsWith(given)) : [];
  if (matches.length === 1) return { id: matches[0]!.id };
  return { error: matches.length === 0 ? 'none' : 'ambiguous', matches: matches.map((m) => m.id) };
}

/** The custom policy name an approval of `rule` is persisted under. */
export function approvedPolicyName(rule: string): string {
  return `approved-${rule.replace(/_/g, '-')}`;
}
