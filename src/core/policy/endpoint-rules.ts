/**
 * The endpoint checks OpenShell runs when it loads a policy (host shape, ports, L7 semantics, the
 * `tcp` limits), restated so nemoclaw refuses a policy before OpenShell does, naming the field.
 */

export interface EndpointIssue {
  path: (string | number)[];
  message: string;
}

/** The shape the checks need; the zod schema has already checked the types. */
interface EndpointLike {
  host?: string;
  path?: string;
  port?: number;
  ports?: number[];
  protocol?: string;
  enforcement?: string;
  access?: string;
  rules?: { allow: Record<string, unknown> }[];
  deny_rules?: Record<string, unknown>[];
  allowed_ips?: string[];
  allow_encoded_slash?: boolean;
  websocket_credential_rewrite?: boolean;
  request_body_credential_rewrite?: boolean;
  persisted_queries?: string;
  graphql_persisted_queries?: Record<string, { operation_type?: string }>;
  graphql_max_body_bytes?: number;
  credential_signing?: string;
  signing_service?: string;
  json_rpc?: { max_body_bytes?: number };
  mcp?: { allow_all_known_mcp_methods?: boolean; max_body_bytes?: number };
}

const L7_PROTOCOLS = new Set(['rest', 'websocket', 'graphql', 'sql', 'json-rpc', 'mcp']);
const GRAPHQL_OPS = new Set(['query', 'mutation', 'subscription']);

export function isIpLiteral(host: string): boolean {
  if (/^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(host)) return true;
  return host.includes(':') || (host.startsWith('[') && host.endsWith(']'));
}

/**
 * A wildcard is allowed only inside the first DNS label (`*.x.com`, `**.x.com`, `*-api.x.com`)
 * or as a whole middle label; bare `*`/`**` and TLD wildcards (`*.com`) are refused.
 */
export function hostWildcardProblem(host: string): string | undefined {
  if (!host.includes('*')) return undefined;
  if (host === '*' || host === '**') return `host '${host}' would match every destination`;
  const labels = host.split('.');
  if ((host.startsWith('*.') || host.startsWith('**.')) && labels.length <= 2) {
    return `TLD wildcard '${host}' is not allowed; use a subdomain wildcard like '*.example.com'`;
  }
  const first = labels[0]!;
  if (first.includes('**') && first !== '**') {
    return `invalid host wildcard '${host}': '**' must be the whole first label`;
  }
  if (labels.slice(1).some((l) => l.includes('**') || (l.includes('*') && l !== '*'))) {
    return `invalid host wildcard '${host}': a wildcard after the first label must be a whole label '*'`;
  }
  return undefined;
}

function validDnsName(host: string): boolean {
  if (host !== host.trim() || host.endsWith('.') || host.length > 253) return false;
  return host
    .split('.')
    .map((l) => (l === '**' ? 'x' : l.replaceAll('*', 'x')))
    .every((l) => /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/i.test(l));
}

function hasAllowClause(allow: Record<string, unknown>): boolean {
  return (
    ['method', 'path', 'command', 'operation_type', 'operation_name'].some(
      (k) => typeof allow[k] === 'string' && allow[k] !== '',
    ) ||
    (Array.isArray(allow.fields) && allow.fields.length > 0) ||
    (allow.params !== undefined && Object.keys(allow.params as object).length > 0)
  );
}

export function validateEndpoint(ep: EndpointLike): EndpointIssue[] {
  const out: EndpointIssue[] = [];
  const add = (path: (string | number)[], message: string) => out.push({ path, message });
  const protocol = (ep.protocol ?? '').toLowerCase();
  const tcp = protocol === 'tcp';
  const l7 = L7_PROTOCOLS.has(protocol);
  const host = ep.host ?? '';
  const hasRules = ep.rules !== undefined && ep.rules.length > 0;
  const hasDeny = ep.deny_rules !== undefined && ep.deny_rules.length > 0;
  const hasAccess = ep.access !== undefined && ep.access !== '';
  const mcpAllowAll = ep.mcp?.allow_all_known_mcp_methods === true;

  // Host.
  if (host.trim() === '' && tcp) add(['host'], 'protocol tcp requires a DNS host name');
  else if (host.trim() === '' && !(ep.allowed_ips && ep.allowed_ips.length > 0)) {
    add(['host'], 'endpoint host must not be empty (unless allowed_ips constrains the endpoint)');
  } else if (tcp && isIpLiteral(host)) {
    add(['host'], `protocol tcp needs a DNS host name, not the IP literal '${host}'`);
  } else if (tcp && !validDnsName(host)) {
    add(['host'], `protocol tcp host '${host}' is not a valid DNS name`);
  }
  const wild = host ? hostWildcardProblem(host) : undefined;
  if (wild) add(['host'], wild);

  // Ports.
  const ports = ep.ports && ep.ports.length > 0 ? ep.ports : ep.port ? [ep.port] : [];
  if (ports.length === 0) add(['port'], `endpoint '${host}' must declare a port or ports`);

  // Empty lists are refused outright: `rules: []` would deny everything.
  if (ep.rules !== undefined && ep.rules.length === 0) {
    add(['rules'], 'rules: [] is not allowed; use access: full or remove rules');
  }
  if (ep.deny_rules !== undefined && ep.deny_rules.length === 0) {
    add(['deny_rules'], 'deny_rules: [] is not allowed; remove it');
  }

  // L7 semantics.
  if (tcp && (hasAccess || hasRules || hasDeny)) {
    add(['protocol'], 'protocol tcp does not support access, rules or deny_rules');
  }
  if (hasRules && hasAccess) add(['access'], 'rules and access are mutually exclusive');
  const jsonRpcFamily = protocol === 'json-rpc' || protocol === 'mcp';
  if (jsonRpcFamily && hasAccess) {
    add(['access'], `protocol ${protocol} does not support access presets; use explicit rules`);
  }
  if (protocol === 'json-rpc' && !hasRules && !hasAccess) {
    add(['rules'], 'protocol json-rpc requires explicit rules with allow.method');
  }
  if (l7 && !jsonRpcFamily && !hasRules && !hasAccess) {
    add(['protocol'], `protocol ${protocol} requires rules or access to define allowed traffic`);
  }
  if (protocol === 'mcp' && !hasRules && !hasAccess && !mcpAllowAll) {
    add(['rules'], 'protocol mcp requires rules unless mcp.allow_all_known_mcp_methods is true');
  }
  if (
    hasRules &&
    ep.rules!.every((r) => !hasAllowClause(r.allow)) &&
    !(protocol === 'mcp' && mcpAllowAll)
  ) {
    add(
      ['rules'],
      'rules would deny all traffic (no allow clause); use access: full or add allow clauses',
    );
  }
  if (hasDeny && !l7) add(['deny_rules'], 'deny_rules require an L7 protocol');
  if (hasDeny && protocol !== 'mcp' && !hasRules && !hasAccess) {
    add(['deny_rules'], 'deny_rules require rules or access to define the base allow set');
  }
  if (protocol === 'rest' && hasRules) {
    ep.rules!.forEach((r, i) => {
      if (r.allow.method === undefined)
        add(['rules', i, 'allow', 'method'], 'a REST allow rule needs a method');
      if (r.allow.path === undefined)
        add(['rules', i, 'allow', 'path'], 'a REST allow rule needs a path');
    });
  }
  if (protocol === 'rest' && hasDeny) {
    ep.deny_rules!.forEach((r, i) => {
      if (r.method === undefined)
        add(['deny_rules', i, 'method'], 'a REST deny rule needs a method');
      if (r.path === undefined) add(['deny_rules', i, 'path'], 'a REST deny rule needs a path');
    });
  }

  // Fields that make no sense without L7 inspection.
  if (tcp) {
    const l7Only = [
      ['enforcement', ep.enforcement !== undefined],
      ['path', ep.path !== undefined && ep.path !== ''],
      ['allow_encoded_slash', ep.allow_encoded_slash === true],
      ['websocket_credential_rewrite', ep.websocket_credential_rewrite === true],
      ['request_body_credential_rewrite', ep.request_body_credential_rewrite === true],
      ['persisted_queries', ep.persisted_queries !== undefined],
      ['graphql_persisted_queries', ep.graphql_persisted_queries !== undefined],
      ['graphql_max_body_bytes', (ep.graphql_max_body_bytes ?? 0) > 0],
      ['json_rpc', (ep.json_rpc?.max_body_bytes ?? 0) > 0],
      ['mcp', ep.mcp !== undefined],
    ] as const;
    for (const [field, present] of l7Only) {
      if (present) add([field], `protocol tcp does not support the L7-only field ${field}`);
    }
  }
  if (ep.path !== undefined && ep.path !== '' && !ep.path.startsWith('/') && ep.path !== '**') {
    add(['path'], "path must start with '/' or be '**'");
  }
  if (protocol === 'sql' && ep.enforcement === 'enforce') {
    add(['enforcement'], 'SQL enforcement needs full SQL parsing; use enforcement: audit');
  }
  if (ep.mcp !== undefined && protocol !== 'mcp') add(['mcp'], 'mcp options need protocol: mcp');
  if (protocol === 'graphql') {
    ep.rules?.forEach((r, i) => {
      if (!GRAPHQL_OPS.has(String(r.allow.operation_type ?? ''))) {
        add(['rules', i, 'allow', 'operation_type'], 'must be query, mutation or subscription');
      }
    });
    ep.deny_rules?.forEach((r, i) => {
      if (!GRAPHQL_OPS.has(String(r.operation_type ?? ''))) {
        add(['deny_rules', i, 'operation_type'], 'must be query, mutation or subscription');
      }
    });
  }

  // Credential signing.
  if (ep.credential_signing && !ep.signing_service) {
    add(['signing_service'], 'credential_signing needs signing_service');
  }
  if (ep.credential_signing && ep.request_body_credential_rewrite) {
    add(
      ['credential_signing'],
      'credential_signing and request_body_credential_rewrite are mutually exclusive',
    );
  }
  return out;
}
