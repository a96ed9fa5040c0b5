/**
 * OpenShell's denial lines, made useful: parse the OCSF shorthand of a denied request
 * (docs/observability/logging.mdx; crates/openshell-ocsf/src/format/shorthand.rs) and say what
 * would allow it — a packaged preset, or a custom policy for `policy-add --from-file`.
 *
 *   NET:OPEN [MED] DENIED /usr/bin/curl(64) -> httpbin.org:443 [policy:- engine:opa] [reason:…]
 *   HTTP:GET [MED] DENIED /bin/busybox(12) -> GET http://denied.test/x [policy:- engine:opa] [reason:…]
 *   HTTP:POST [MED] DENIED POST http://api.github.com:443/user/repos [policy:github engine:l7] [reason:…]
 */
import { stringify } from 'yaml';
import { binaryMatches, checkRequest, endpointPorts, hostMatches } from '../policy/check.ts';
import type { NetworkPolicies } from '../policy/schema.ts';
import { parseLogLine } from './parse.ts';

export interface Denial {
  /** The calling executable as OpenShell resolved it; undefined when it could not tell ('-'). */
  binary?: string;
  host: string;
  port: number;
  /** Known for HTTP-level denials (forward proxy requests and L7 rules). */
  method?: string;
  path?: string;
  /** The matched policy key for L7 denials, '-' otherwise. */
  policy: string;
  engine: string;
  reason: string;
}

const DENIED_RE = /^(?:OCSF )?(NET|HTTP):(\S+) \[[A-Z]+\] DENIED (.*)$/;

function contextOf(rest: string): { body: string; policy: string; engine: string; reason: string } {
  const ctx = / \[policy:(\S*) engine:(\S*)\]/.exec(rest);
  const body = ctx ? rest.slice(0, ctx.index) : rest;
  const after = ctx ? rest.slice(ctx.index + ctx[0].length) : '';
  const r = /^ \[reason:(.*)\]$/.exec(after) ?? /\[reason:(.*)\]$/.exec(rest);
  return { body, policy: ctx?.[1] ?? '-', engine: ctx?.[2] ?? '', reason: r?.[1] ?? '' };
}

function hostPort(s: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]\s]+?)\]?:(\d+)$/.exec(s);
  return m ? { host: m[1]!.toLowerCase(), port: Number(m[2]) } : undefined;
}

function fromUrl(u: string): { host: string; port: number; path: string } | undefined {
  try {
    const url = new URL(u);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return { host: url.hostname.toLowerCase(), port, path: url.pathname || '/' };
  } catch {
    return undefined;
  }
}

/** The denial in one OCSF message (the part after `[ocsf]`), or undefined. */
export function parseDenialMessage(message: string): Denial | undefined {
  const m = DENIED_RE.exec(message.trim());
  if (!m) return undefined;
  const [, cls, activity, rest] = m as unknown as [string, string, string, string];
  const { body, policy, engine, reason } = contextOf(rest);
  const arrow = body.indexOf(' -> ');
  const actor = arrow >= 0 ? body.slice(0, arrow) : '';
  const target = arrow >= 0 ? body.slice(arrow + 4) : body;
  const bin = /^(.*)\(([^)]*)\)$/.exec(actor)?.[1];
  const binary = bin && bin !== '-' ? bin : undefined;
  if (cls === 'NET') {
    const hp = hostPort(target.trim());
    return hp ? { binary, ...hp, policy, engine, reason } : undefined;
  }
  const sp = target.trim().indexOf(' ');
  const method = sp > 0 ? target.trim().slice(0, sp) : activity;
  const u = fromUrl(target.trim().slice(sp + 1));
  return u ? { binary, ...u, method, policy, engine, reason } : undefined;
}

/** A denial from a whole `openshell logs` line; other lines give undefined. */
export function parseDenialLine(line: string): Denial | undefined {
  const p = parseLogLine(line);
  if (p) return p.level === 'OCSF' ? parseDenialMessage(p.message) : undefined;
  return parseDenialMessage(line.replace(/^\S+Z OCSF /, 'OCSF '));
}

/** True when the policy entries alone would let the denied request through. */
export function allows(entries: NetworkPolicies, d: Denial): boolean {
  if (d.method && d.path) {
    const req = { host: d.host, port: d.port, method: d.method, path: d.path, query: {} };
    return checkRequest(entries, { ...req, binary: d.binary }).decision === 'allow';
  }
  // A CONNECT denial says nothing of method or path: the endpoint and the binary decide.
  return Object.values(entries).some(
    (p) =>
      (p.endpoints ?? []).some(
        (e) => endpointPorts(e).includes(d.port) && hostMatches(e.host ?? '', d.host),
      ) &&
      (d.binary === undefined ||
        (p.binaries ?? []).some((b) => binaryMatches(b.path, [d.binary!]))),
  );
}

export type Remedy =
  { kind: 'live' } | { kind: 'preset'; presets: string[] } | { kind: 'custom'; yaml: string };

/**
 * A custom policy that allows exactly this request (`policy-add --from-file`). OpenShell's L7 log
 * line names no process, but it names the policy whose endpoint matched: its binaries are the ones
 * that got that far, so the new policy takes them.
 */
export function customPolicyFor(d: Denial, live?: NetworkPolicies): string {
  const key = `allow_${d.host.replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')}_${d.port}`;
  const endpoint: Record<string, unknown> = { host: d.host, port: d.port };
  if (d.engine === 'l7' && d.method && d.path) {
    Object.assign(endpoint, {
      protocol: 'rest',
      enforcement: 'enforce',
      rules: [{ allow: { method: d.method, path: d.path } }],
    });
  }
  const entry: Record<string, unknown> = { endpoints: [endpoint] };
  const matched = d.policy !== '-' ? live?.[d.policy]?.binaries : undefined;
  if (d.binary) entry.binaries = [{ path: d.binary }];
  else if (matched && matched.length > 0) entry.binaries = matched.map((b) => ({ path: b.path }));
  return stringify({ network_policies: { [key]: entry } });
}

/**
 * What would allow a denied request: already the live policy (the denial came before a change),
 * the presets that would, or a custom policy.
 */
export function remedyFor(
  d: Denial,
  presets: readonly { name: string; entries: NetworkPolicies }[],
  live?: NetworkPolicies,
): Remedy {
  if (live && allows(live, d)) return { kind: 'live' };
  const names = presets.filter((p) => allows(p.entries, d)).map((p) => p.name);
  if (names.length > 0) return { kind: 'preset', presets: names };
  return { kind: 'custom', yaml: customPolicyFor(d, live) };
}

/** The lines printed under a denial in `nemoclaw <name> logs`. */
export function describeRemedy(sandbox: string, d: Denial, r: Remedy): string[] {
  const what = `${d.method ? `${d.method} ` : ''}${d.host}:${d.port}${d.path ?? ''}${d.binary ? ` from ${d.binary}` : ''}`;
  if (r.kind === 'live') return [`  → ${what} is allowed by the current policy now.`];
  if (r.kind === 'preset') {
    return r.presets.map(
      (p) => `  → ${what} is allowed by preset ${p}: nemoclaw ${sandbox} policy-add ${p}`,
    );
  }
  const lines = [
    `  → no preset allows ${what}. To allow it, save this as allow.yaml and run: nemoclaw ${sandbox} policy-add --from-file allow.yaml`,
    ...r.yaml
      .trimEnd()
      .split('\n')
      .map((l) => `      ${l}`),
  ];
  if (!r.yaml.includes('binaries:')) {
    lines.push('    (OpenShell did not name the calling binary: add a binaries list.)');
  }
  return lines;
}
