/**
 * The egress decision of OpenShell's proxy, as pure functions over the live policy.
 *
 * L4 (host, port, binary): crates/openshell-supervisor-network/data/sandbox-policy.rego
 * (`endpoint_allowed`, `binary_allowed`, `deny_reason`, `matched_network_policy`: the
 * lexicographically smallest matching key). L7 REST (method, path, `access`, `rules`,
 * `deny_rules`, deny wins): the same rego (`request_deny_reason`) and
 * crates/openshell-supervisor-network/src/l7/rest.rs. Deny by default: no policy → deny.
 */

export interface Endpoint {
  host?: string;
  port?: number;
  ports?: number[];
  protocol?: string;
  tls?: string;
  enforcement?: string;
  access?: string;
  rules?: { allow: { method?: string; path?: string } }[];
  deny_rules?: { method?: string; path?: string }[];
  allowed_ips?: string[];
}

export interface NetworkPolicy {
  name?: string;
  endpoints?: Endpoint[];
  binaries?: { path: string }[];
}

export interface Exec {
  /** Kernel-resolved path of the process that owns the socket; '-' when unknown. */
  path: string;
  ancestors: string[];
}

export type L4Decision =
  { allow: true; policy: string; endpoint: Endpoint } | { allow: false; reason: string };

const escapeRe = (s: string) => s.replace(/[.+^${}()|\\]/g, '\\$&');

/**
 * OPA's `glob.match(pattern, [delimiter], value)`: `*` stays inside one segment, `**` crosses
 * segments, `?` is one non-delimiter character, `[..]` a class.
 */
export function globMatch(pattern: string, delimiter: string, value: string): boolean {
  const d = escapeRe(delimiter);
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += `[^${d}]*`;
    else if (c === '?') re += `[^${d}]`;
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, '^')}]`;
        i = end;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`).test(value);
}

function endpointPorts(e: Endpoint): number[] {
  if (e.ports && e.ports.length > 0) return e.ports;
  return e.port !== undefined ? [e.port] : [];
}

/** rego `endpoint_allowed`: exact host (case-insensitive) or a `.`-delimited glob, and the port. */
export function endpointMatches(e: Endpoint, host: string, port: number): boolean {
  if (!endpointPorts(e).includes(port)) return false;
  const h = (e.host ?? '').toLowerCase();
  if (h === '') return (e.allowed_ips ?? []).length > 0;
  if (!h.includes('*')) return h === host.toLowerCase();
  return globMatch(h, '.', host.toLowerCase());
}

/** rego `binary_allowed`: exact path or ancestor; globs against the path and every ancestor. */
export function binaryMatches(p: NetworkPolicy, exec: Exec): boolean {
  return (p.binaries ?? []).some((b) => {
    if (!b.path.includes('*')) return b.path === exec.path || exec.ancestors.includes(b.path);
    return [exec.path, ...exec.ancestors].some((x) => globMatch(b.path, '/', x));
  });
}

/** The L4 decision and, on deny, the rego's `deny_reason` text. */
export function decideL4(
  policies: Record<string, NetworkPolicy>,
  host: string,
  port: number,
  exec: Exec,
): L4Decision {
  const names = Object.keys(policies).sort();
  for (const name of names) {
    const p = policies[name]!;
    const ep = (p.endpoints ?? []).find((e) => endpointMatches(e, host, port));
    if (ep && binaryMatches(p, exec)) return { allow: true, policy: name, endpoint: ep };
  }
  if (names.length === 0)
    return { allow: false, reason: 'network connections not allowed by policy' };
  const endpointOnly = names.filter((n) =>
    (policies[n]!.endpoints ?? []).some((e) => endpointMatches(e, host, port)),
  );
  if (endpointOnly.length === 0) {
    return { allow: false, reason: `endpoint ${host}:${port} is not allowed by any policy` };
  }
  const anc = exec.ancestors.join(' -> ');
  return {
    allow: false,
    reason: endpointOnly
      .map(
        (n) =>
          `binary '${exec.path}' not allowed in policy '${n}' (ancestors: [${anc}], cmdline: [])`,
      )
      .join('; '),
  };
}

/** `access` presets (docs/reference/policy-schema.mdx). */
const ACCESS: Record<string, string[] | '*'> = {
  'read-only': ['GET', 'HEAD', 'OPTIONS'],
  'read-write': ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH'],
  full: '*',
};

function methodOk(rule: string | undefined, method: string): boolean {
  return rule === undefined || rule === '*' || rule.toUpperCase() === method.toUpperCase();
}

function pathOk(rule: string | undefined, path: string): boolean {
  return rule === undefined || globMatch(rule, '/', path);
}

/** True for endpoints whose requests the proxy inspects (`protocol: rest`). */
export function isL7Rest(e: Endpoint): boolean {
  return e.protocol === 'rest';
}

/**
 * rego `request_deny_reason` for REST: deny rules first, then `access` or `rules`. Returns null
 * when allowed. Unless `enforcement: enforce`, a denial is only logged (the caller checks).
 */
export function decideRest(e: Endpoint, method: string, rawPath: string): string | null {
  const path = rawPath.split('?')[0] || '/';
  for (const d of e.deny_rules ?? []) {
    if (methodOk(d.method, method) && pathOk(d.path, path)) {
      return `${method} ${path} blocked by deny rule`;
    }
  }
  if (e.access) {
    const allowed = ACCESS[e.access];
    if (allowed === '*' || allowed?.includes(method.toUpperCase())) return null;
  }
  for (const r of e.rules ?? []) {
    if (methodOk(r.allow.method, method) && pathOk(r.allow.path, path)) return null;
  }
  return `${method} ${path} not permitted by policy`;
}
