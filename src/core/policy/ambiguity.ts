/**
 * OpenShell refuses a policy in which two endpoints can match the same connection but disagree on
 * how to handle it (transparent TCP or not, TLS, allowed_ips; and for inspected endpoints whose
 * paths overlap, protocol, enforcement and the rewrite/signing options). Presets are merged into
 * one policy, so two presets naming the same host must agree; this finds the pairs that do not.
 */
import { globMatch } from './glob.ts';
import type { Endpoint, NetworkPolicies } from './entry-schema.ts';

export interface Ambiguity {
  left: { key: string; endpoint: number };
  right: { key: string; endpoint: number };
  conflicts: string[];
}

function ports(ep: Endpoint): number[] {
  return ep.ports && ep.ports.length > 0 ? ep.ports : ep.port ? [ep.port] : [];
}

/** Wildcards replaced by a representative label, to test one pattern against the other. */
function representative(pattern: string): string {
  return pattern.replace(/\*+/g, 'x');
}

function patternsOverlap(a: string, b: string, delim: string): boolean {
  if (a === b) return true;
  const aw = a.includes('*');
  const bw = b.includes('*');
  if (!aw && !bw) return false;
  return globMatch(a, [delim], representative(b)) || globMatch(b, [delim], representative(a));
}

function hostsOverlap(a = '', b = ''): boolean {
  if (a === '' || b === '') return true;
  return patternsOverlap(a.toLowerCase(), b.toLowerCase(), '.');
}

function pathsOverlap(a = '', b = ''): boolean {
  if (a === '' || b === '' || a === '**' || b === '**' || a === '/**' || b === '/**') return true;
  return patternsOverlap(a, b, '/');
}

function specificity(path = ''): number {
  return path.replaceAll('*', '').length;
}

function inspectedMetadata(ep: Endpoint): boolean {
  const p = (ep.protocol ?? '').toLowerCase();
  return (
    (p !== '' && p !== 'tcp') ||
    (ep.allowed_ips?.length ?? 0) > 0 ||
    (ep.tls ?? '') !== '' ||
    ep.credential_binding !== undefined
  );
}

function connectionFields(ep: Endpoint): Record<string, string> {
  return {
    transparent_tcp: String((ep.protocol ?? '').toLowerCase() === 'tcp'),
    tls: (ep.tls ?? '').toLowerCase() === 'skip' ? 'skip' : 'auto',
    allowed_ips: [...new Set((ep.allowed_ips ?? []).map((s) => s.trim().toLowerCase()))]
      .sort()
      .join(','),
  };
}

function requestFields(ep: Endpoint): Record<string, string> {
  const p = (ep.protocol ?? '').toLowerCase();
  return {
    protocol: p === 'tcp' ? '' : p,
    // OpenShell treats anything but `enforce` (including no value) as audit.
    enforcement: ep.enforcement === 'enforce' ? 'enforce' : 'audit',
    allow_encoded_slash: String(ep.allow_encoded_slash === true),
    websocket_credential_rewrite: String(ep.websocket_credential_rewrite === true),
    request_body_credential_rewrite: String(ep.request_body_credential_rewrite === true),
    credential_signing: ep.credential_signing ?? '',
    signing_service: ep.signing_service ?? '',
    signing_region: ep.signing_region ?? '',
    'credential_binding.provider': ep.credential_binding?.provider ?? '',
  };
}

function differences(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys(a)
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k}=${JSON.stringify(a[k])} vs ${JSON.stringify(b[k])}`);
}

export function findAmbiguities(policies: NetworkPolicies): Ambiguity[] {
  const eps = Object.entries(policies).flatMap(([key, entry]) =>
    (entry.endpoints ?? []).map((ep, endpoint) => ({ key, endpoint, ep })),
  );
  const out: Ambiguity[] = [];
  for (let i = 0; i < eps.length; i++) {
    for (let j = i + 1; j < eps.length; j++) {
      const l = eps[i]!;
      const r = eps[j]!;
      const shared = ports(l.ep).filter((p) => ports(r.ep).includes(p));
      if (shared.length === 0 || !hostsOverlap(l.ep.host, r.ep.host)) continue;
      const conflicts = differences(connectionFields(l.ep), connectionFields(r.ep));
      if (
        inspectedMetadata(l.ep) &&
        inspectedMetadata(r.ep) &&
        pathsOverlap(l.ep.path, r.ep.path) &&
        specificity(l.ep.path) === specificity(r.ep.path)
      ) {
        conflicts.push(...differences(requestFields(l.ep), requestFields(r.ep)));
      }
      if (conflicts.length > 0) {
        out.push({
          left: { key: l.key, endpoint: l.endpoint },
          right: { key: r.key, endpoint: r.endpoint },
          conflicts,
        });
      }
    }
  }
  return out;
}
