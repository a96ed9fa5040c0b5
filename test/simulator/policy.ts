/**
 * The simulator's own policy parser and validator (openshell-contract.md §3), written from the
 * documented schema: every struct denies unknown fields, the document is re-serialised in a
 * canonical order with empty defaults dropped (so the hash moves only when content changes), and
 * the server-side rules apply (identities, paths, endpoint constraints, static sections on a live
 * sandbox). Independent of nemoclaw's own policy code on purpose: it is a test double of OpenShell.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { SimError, grpcError } from './io.ts';

type Field =
  | 'string'
  | 'bool'
  | 'u16'
  | 'u32'
  | 'any'
  | { list: Field }
  | { map: Field }
  | { obj: Record<string, Field>; required?: string[] };

const str = 'string' as const;
const MATCH_FIELDS: Record<string, Field> = {
  method: str,
  path: str,
  command: str,
  query: { map: 'any' },
  operation_type: str,
  operation_name: str,
  fields: { list: str },
  tool: 'any',
  params: { map: 'any' },
};
const ENDPOINT: Field = {
  obj: {
    host: str,
    path: str,
    port: 'u16',
    ports: { list: 'u16' },
    protocol: str,
    tls: str,
    enforcement: str,
    access: str,
    rules: { list: { obj: { allow: { obj: MATCH_FIELDS } }, required: ['allow'] } },
    allowed_ips: { list: str },
    deny_rules: { list: { obj: MATCH_FIELDS } },
    allow_encoded_slash: 'bool',
    websocket_credential_rewrite: 'bool',
    request_body_credential_rewrite: 'bool',
    allow_uninspected_credentials: 'bool',
    persisted_queries: str,
    graphql_persisted_queries: { map: 'any' },
    graphql_max_body_bytes: 'u32',
    credential_signing: str,
    signing_service: str,
    signing_region: str,
    credential_binding: { obj: { provider: str }, required: ['provider'] },
    json_rpc: 'any',
    mcp: 'any',
  },
};
const POLICY: Field = {
  obj: {
    version: 'u32',
    filesystem_policy: {
      obj: { include_workdir: 'bool', read_only: { list: str }, read_write: { list: str } },
    },
    landlock: { obj: { compatibility: str } },
    process: { obj: { run_as_user: str, run_as_group: str } },
    network_policies: {
      map: {
        obj: {
          name: str,
          endpoints: { list: ENDPOINT },
          binaries: { list: { obj: { path: str, harness: 'bool' }, required: ['path'] } },
        },
      },
    },
    network_middlewares: { map: 'any' },
  },
  required: ['version'],
};

const parseError = (where: string, what: string) =>
  new SimError(`failed to parse sandbox policy YAML: ${where ? `${where}: ` : ''}${what}`);

/** Type-checks against the schema and returns the canonical form (struct order, empties dropped). */
function canon(v: unknown, f: Field, where: string): unknown {
  if (f === 'any') return v;
  if (f === 'string') {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw parseError(where, `invalid type: expected a string`);
  }
  if (f === 'bool') {
    if (typeof v !== 'boolean') throw parseError(where, 'invalid type: expected a boolean');
    return v;
  }
  if (f === 'u16' || f === 'u32') {
    const max = f === 'u16' ? 65535 : 4294967295;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
      throw parseError(where, `invalid value: expected ${f}`);
    }
    return v;
  }
  if ('list' in f) {
    if (!Array.isArray(v)) throw parseError(where, 'invalid type: expected a sequence');
    return v.map((x, i) => canon(x, f.list, `${where}[${i}]`));
  }
  if ('map' in f) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      throw parseError(where, 'invalid type: expected a map');
    }
    const outMap: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      outMap[k] = canon((v as Record<string, unknown>)[k], f.map, where ? `${where}.${k}` : k);
    }
    return outMap;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw parseError(where, 'invalid type: expected a map');
  }
  const obj = v as Record<string, unknown>;
  const known = Object.keys(f.obj);
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) {
      throw parseError(
        where,
        `unknown field \`${k}\`, expected one of ${known.map((x) => `\`${x}\``).join(', ')}`,
      );
    }
  }
  for (const r of f.required ?? []) {
    if (!(r in obj)) throw parseError(where, `missing field \`${r}\``);
  }
  const result: Record<string, unknown> = {};
  for (const k of known) {
    if (!(k in obj) || obj[k] === null) continue;
    const c = canon(obj[k], f.obj[k]!, where ? `${where}.${k}` : k);
    if (isEmpty(c) && !(f.required ?? []).includes(k) && k !== 'include_workdir') continue;
    result[k] = c;
  }
  return result;
}

function isEmpty(v: unknown): boolean {
  if (v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

export type Policy = Record<string, unknown>;

export function parsePolicyText(text: string): { policy: Policy; raw: unknown } {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw parseError('', (e as Error).message.split('\n')[0]!);
  }
  return { policy: canon(raw, POLICY, '') as Policy, raw };
}

export function loadPolicyFile(path: string): { policy: Policy; raw: unknown } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SimError(`failed to read policy file '${path}': ${(e as Error).message}`);
  }
  return parsePolicyText(text);
}

/** The restrictive default when no policy is given (no network). */
export function defaultPolicy(): Policy {
  return parsePolicyText(
    [
      'version: 1',
      'filesystem_policy:',
      '  include_workdir: true',
      '  read_only: [/usr, /lib, /etc, /bin]',
      '  read_write: [/sandbox, /tmp]',
      'landlock: {compatibility: best_effort}',
      'process: {run_as_user: sandbox, run_as_group: sandbox}',
    ].join('\n'),
  ).policy;
}

export function policyHash(p: Policy): string {
  return createHash('sha256').update(JSON.stringify(p)).digest('hex');
}

export function policyYaml(p: Policy): string {
  return stringify(p);
}

const PROTOCOLS = ['rest', 'websocket', 'graphql', 'sql', 'json-rpc', 'mcp', 'tcp'];
const NEEDS_ACCESS_OR_RULES = ['rest', 'websocket', 'graphql', 'sql'];

function validIdentity(v: string): boolean {
  if (v === 'sandbox') return true;
  if (!/^\d+$/.test(v)) return false;
  const n = Number(v);
  return n >= 1 && n <= 4294967294;
}

/** Server-side validation; violations come back as INVALID_ARGUMENT (exit 1). */
export function validatePolicy(p: Policy, raw: unknown): void {
  const problems: string[] = [];
  if (p.version !== 1)
    problems.push(`unsupported policy version ${String(p.version)} (expected 1)`);
  const proc = (p.process ?? {}) as Record<string, string>;
  for (const f of ['run_as_user', 'run_as_group']) {
    if (proc[f] !== undefined && !validIdentity(proc[f])) {
      problems.push(`process.${f} '${proc[f]}' is not allowed: use 'sandbox' or a non-root id`);
    }
  }
  const ll = (p.landlock ?? {}) as Record<string, string>;
  if (ll.compatibility && !['best_effort', 'hard_requirement'].includes(ll.compatibility)) {
    problems.push(`landlock.compatibility '${ll.compatibility}' is not supported`);
  }
  const fs = (p.filesystem_policy ?? {}) as { read_only?: string[]; read_write?: string[] };
  const paths = [...(fs.read_only ?? []), ...(fs.read_write ?? [])];
  if (paths.length > 256) problems.push(`too many filesystem paths (${paths.length} > 256)`);
  for (const path of paths) {
    if (path.length > 4096) problems.push(`filesystem path too long (${path.length} characters)`);
    else if (!path.startsWith('/')) problems.push(`filesystem path '${path}' must be absolute`);
    else if (path.split('/').includes('..'))
      problems.push(`filesystem path '${path}' contains '..'`);
  }
  for (const path of fs.read_write ?? []) {
    if (path.replace(/\/+$/, '') === '') problems.push(`read_write path '${path}' is too broad`);
  }
  const rawPolicies = ((raw as Record<string, unknown>)?.network_policies ?? {}) as Record<
    string,
    { endpoints?: Record<string, unknown>[] }
  >;
  const policies = (p.network_policies ?? {}) as Record<string, { endpoints?: Policy[] }>;
  for (const [key, rule] of Object.entries(policies)) {
    if (key.startsWith('_provider_')) problems.push(`network policy key '${key}' is reserved`);
    (rule.endpoints ?? []).forEach((ep, i) => {
      const at = `network policy '${key}' endpoint ${i}`;
      const rawEp = rawPolicies[key]?.endpoints?.[i] ?? {};
      const protocol = (ep.protocol as string | undefined) ?? '';
      const host = (ep.host as string | undefined) ?? '';
      if (!host && !ep.allowed_ips) problems.push(`${at}: endpoint host must not be empty`);
      if (!ep.port && !ep.ports) problems.push(`${at}: a port or ports is required`);
      if (protocol && !PROTOCOLS.includes(protocol)) {
        problems.push(`${at}: unsupported protocol '${protocol}'`);
      }
      if (Array.isArray(rawEp.rules) && rawEp.rules.length === 0) {
        problems.push(`${at}: rules must not be empty (omit rules or use access)`);
      }
      if (ep.access && !['read-only', 'read-write', 'full'].includes(ep.access as string)) {
        problems.push(`${at}: unsupported access '${String(ep.access)}'`);
      }
      if (ep.access && ep.rules) problems.push(`${at}: access and rules are mutually exclusive`);
      if (NEEDS_ACCESS_OR_RULES.includes(protocol) && !ep.access && !ep.rules) {
        problems.push(`${at}: protocol '${protocol}' requires access or rules`);
      }
      if (ep.enforcement && !['enforce', 'audit'].includes(ep.enforcement as string)) {
        problems.push(`${at}: unsupported enforcement '${String(ep.enforcement)}'`);
      }
      if (ep.tls && !['skip', 'terminate', 'passthrough'].includes(ep.tls as string)) {
        problems.push(`${at}: unsupported tls '${String(ep.tls)}'`);
      }
      if (protocol === 'tcp') {
        if (ep.access || ep.rules || ep.deny_rules) problems.push(`${at}: tcp takes no L7 fields`);
        if (/^[\d.]+$/.test(host) || host.includes(':')) {
          problems.push(`${at}: tcp needs a DNS host, not an IP literal`);
        }
      }
    });
  }
  if (Object.keys((p.network_middlewares ?? {}) as object).length > 10) {
    problems.push('at most 10 network middlewares are allowed');
  }
  if (problems.length > 0) throw grpcError('InvalidArgument', problems.join('; '));
}

/** Static sections of a live sandbox: landlock and process fixed, filesystem may only grow. */
export function checkLiveChange(baseline: Policy, next: Policy): void {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const invalid = (m: string) => grpcError('InvalidArgument', m);
  const base = baseline.filesystem_policy as Record<string, unknown> | undefined;
  const upd = next.filesystem_policy as Record<string, unknown> | undefined;
  if (base && !upd) throw invalid('filesystem policy cannot be removed on a live sandbox');
  if (base && upd) {
    if (Boolean(base.include_workdir) !== Boolean(upd.include_workdir)) {
      throw invalid('filesystem include_workdir cannot be changed on a live sandbox');
    }
    for (const key of ['read_only', 'read_write']) {
      const now = (upd[key] as string[] | undefined) ?? [];
      for (const path of (base[key] as string[] | undefined) ?? []) {
        if (!now.includes(path)) {
          throw invalid(`filesystem ${key} path '${path}' cannot be removed on a live sandbox`);
        }
      }
    }
  }
  if (!same(baseline.landlock, next.landlock)) {
    throw invalid('landlock policy cannot be changed on a live sandbox (applied at startup)');
  }
  if (!same(baseline.process, next.process)) {
    throw invalid('process policy cannot be changed on a live sandbox (applied at startup)');
  }
}
