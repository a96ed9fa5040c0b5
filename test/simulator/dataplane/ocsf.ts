/**
 * Decision records of the simulated data plane, in OpenShell's OCSF shorthand
 * (crates/openshell-ocsf/src/format/shorthand.rs `format_shorthand`; event builders in
 * crates/openshell-supervisor-network/src/proxy.rs and l7/relay.rs `emit_l7_request_log`), plus
 * the structured denial the sandbox feeds its draft-policy aggregator
 * (proxy.rs `emit_denial` → `DenialEvent`, crates/openshell-sandbox/src/denial_aggregator.rs).
 *
 * Files (under `$OPENSHELL_SIM_STATE/dataplane/`, host side only):
 * - `ocsf/<sandbox-id>.jsonl`: `{ts, message}`; `openshell logs` prints them as
 *   `[<ts>] [sandbox] [OCSF ] [ocsf] <message>`.
 * - `denials.jsonl`: one `DenialRecord` a line, for `rule get` style consumers.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DenialRecord {
  ts: number;
  sandbox: string;
  sandbox_id: string;
  host: string;
  port: number;
  binary: string;
  ancestors: string[];
  deny_reason: string;
  /** `connect`, `forward`, `l7`, `ssrf` (proxy.rs `emit_denial` stage names). */
  denial_stage: string;
  l7_method: string | null;
  l7_path: string | null;
}

export interface OcsfRecord {
  ts: number;
  message: string;
}

export const dataplaneDir = (stateDir: string) => join(stateDir, 'dataplane');

const MAX_REASON = 256;
const reasonText = (r: string) => {
  const t = r.replace(/[\n\r]/g, ' ');
  return t.length > MAX_REASON ? `${t.slice(0, MAX_REASON)}...` : t;
};

/** OcsfUrl display: the port only when it differs from the scheme default. */
export function ocsfUrl(scheme: string, host: string, port: number, path: string): string {
  const def = scheme === 'https' ? 443 : 80;
  return `${scheme}://${host}${port === def ? '' : `:${port}`}${path}`;
}

const actor = (binary: string, pid: string) => `${binary}(${pid})`;

/** proxy.rs CONNECT decision: NET:OPEN, engine opa. */
export function netOpen(o: {
  allowed: boolean;
  binary: string;
  pid: string;
  host: string;
  port: number;
  policy: string;
  reason?: string;
}): string {
  const head = o.allowed ? 'NET:OPEN [INFO] ALLOWED' : 'NET:OPEN [MED] DENIED';
  const tail = o.allowed ? '' : ` [reason:${reasonText(o.reason ?? '')}]`;
  return `${head} ${actor(o.binary, o.pid)} -> ${o.host}:${o.port} [policy:${o.policy} engine:opa]${tail}`;
}

/** proxy.rs `build_forward_allow_ocsf_event` / `build_forward_policy_deny_ocsf_event`. */
export function httpForward(o: {
  allowed: boolean;
  binary: string;
  pid: string;
  method: string;
  host: string;
  port: number;
  path: string;
  policy: string;
  reason?: string;
}): string {
  const sev = o.allowed ? '[INFO] ALLOWED' : '[MED] DENIED';
  const url = ocsfUrl('http', o.host, o.port, o.path);
  const tail = o.allowed ? '' : ` [reason:${reasonText(o.reason ?? '')}]`;
  return `HTTP:${o.method} ${sev} ${actor(o.binary, o.pid)} -> ${o.method} ${url} [policy:${o.policy} engine:opa]${tail}`;
}

/**
 * l7/relay.rs `emit_l7_request_log`: no actor, the URL built with scheme `http` and the
 * endpoint's port, engine `l7`; a denied event's reason is its message (no status_detail).
 */
export function httpL7(o: {
  decision: 'allow' | 'deny' | 'audit';
  method: string;
  host: string;
  port: number;
  path: string;
  policy: string;
  reason: string;
}): string {
  const denied = o.decision === 'deny';
  const sev = denied ? '[MED] DENIED' : '[INFO] ALLOWED';
  const url = ocsfUrl('http', o.host, o.port, o.path);
  const message = `L7_REQUEST ${o.decision} ${o.method} ${o.host}:${o.port}${o.path} reason=${o.reason}`;
  const tail = denied ? ` [reason:${reasonText(message)}]` : '';
  return `HTTP:${o.method} ${sev} ${o.method} ${url} [policy:${o.policy} engine:l7]${tail}`;
}

/** Context fields escape whitespace as `\u{20}` (shorthand.rs `escape_context_field`). */
const escapeContext = (t: string) =>
  t
    .replace(/[\\[\]]/g, (c) => `\\${c}`)
    .replace(/\s/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);

/** proxy.rs `emit_ai_inference`: API Activity, informational, Success or Failure, `{method} {path}`. */
export function apiInference(o: {
  ok: boolean;
  model: string;
  provider: string;
  latencyMs: number;
  method: string;
  path: string;
}): string {
  const status = o.ok ? 'Success' : 'Failure';
  return `API:INFERENCE [INFO] ${status} ${escapeContext(o.model)} via ${escapeContext(o.provider)} ${o.latencyMs}ms [${escapeContext(`${o.method} ${o.path}`)}]`;
}

export function appendOcsf(stateDir: string, sandboxId: string, message: string): void {
  const dir = join(dataplaneDir(stateDir), 'ocsf');
  mkdirSync(dir, { recursive: true });
  const rec: OcsfRecord = { ts: Date.now(), message };
  appendFileSync(join(dir, `${sandboxId}.jsonl`), `${JSON.stringify(rec)}\n`);
}

export function readOcsf(stateDir: string, sandboxId: string): OcsfRecord[] {
  const f = join(dataplaneDir(stateDir), 'ocsf', `${sandboxId}.jsonl`);
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as OcsfRecord);
}

export function appendDenial(stateDir: string, d: DenialRecord): void {
  mkdirSync(dataplaneDir(stateDir), { recursive: true });
  appendFileSync(join(dataplaneDir(stateDir), 'denials.jsonl'), `${JSON.stringify(d)}\n`);
}

/** Every denial the data plane recorded for one sandbox (by name), oldest first. */
export function readDenials(stateDir: string, sandbox?: string): DenialRecord[] {
  const f = join(dataplaneDir(stateDir), 'denials.jsonl');
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as DenialRecord)
    .filter((d) => sandbox === undefined || d.sandbox === sandbox);
}
