/**
 * Parsers for the text `openshell` prints where v0.0.111 has no `-o json` (openshell-contract.md
 * §1): `provider get`, `inference get`, `policy get --full`, `policy list`, `forward list`, the
 * `policy set` stderr, `logs` lines — and the classification of a failed call's stderr. Pure.
 */
import type { ErrorKind } from '../errors.ts';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

function lines(text: string): string[] {
  return stripAnsi(text).replace(/\r\n/g, '\n').split('\n');
}

/** `  Key: value` lines of a block, keyed by the label without its colon. */
function fields(block: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of block) {
    const m = /^\s+([A-Za-z][A-Za-z _]*):\s*(.*)$/.exec(l);
    if (m) out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

const keyList = (v: string | undefined): string[] =>
  !v || v === '<none>'
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

export interface ParsedProvider {
  id?: string;
  name: string;
  type: string;
  credential_keys: string[];
  config_keys: string[];
}

/** `provider get N`: a `Provider:` block. */
export function parseProviderGet(text: string): ParsedProvider | undefined {
  const f = fields(lines(text));
  if (!f.Name || !f.Type) return undefined;
  return {
    id: f.Id,
    name: f.Name,
    type: f.Type,
    credential_keys: keyList(f['Credential keys']),
    config_keys: keyList(f['Config keys']),
  };
}

export interface ParsedRoute {
  provider: string;
  model: string;
  version?: string;
  timeout?: string;
}

/** `inference get`: an `Inference:` and a `System inference:` block, each maybe "Not configured". */
export function parseInferenceGet(text: string): { route?: ParsedRoute; system?: ParsedRoute } {
  const result: { route?: ParsedRoute; system?: ParsedRoute } = {};
  let current: 'route' | 'system' | undefined;
  const blocks: Record<'route' | 'system', string[]> = { route: [], system: [] };
  for (const l of lines(text)) {
    if (/^System inference:/.test(l)) current = 'system';
    else if (/^Inference:/.test(l)) current = 'route';
    else if (current) blocks[current].push(l);
  }
  for (const key of ['route', 'system'] as const) {
    const f = fields(blocks[key]);
    if (f.Provider && f.Model) {
      result[key] = {
        provider: f.Provider,
        model: f.Model,
        version: f.Version,
        timeout: f.Timeout,
      };
    }
  }
  return result;
}

export interface ParsedPolicyView {
  version: number;
  hash: string;
  status: string;
  source?: string;
  configRevision?: number;
  yaml?: string;
}

/** `policy get --full|--base`: metadata lines, then a `---` line, then the YAML document. */
export function parsePolicyGet(text: string): ParsedPolicyView | undefined {
  const all = stripAnsi(text).replace(/\r\n/g, '\n');
  const sep = all.search(/^---$/m);
  const head = sep === -1 ? all : all.slice(0, sep);
  const yaml = sep === -1 ? undefined : all.slice(sep + 4);
  const meta: Record<string, string> = {};
  for (const l of head.split('\n')) {
    const m = /^([A-Za-z][A-Za-z ]*):\s+(.*)$/.exec(l);
    if (m) meta[m[1]!.trim()] = m[2]!.trim();
  }
  const version = Number(meta.Version);
  if (!Number.isInteger(version) || !meta.Hash) return undefined;
  return {
    version,
    hash: meta.Hash,
    status: meta.Status ?? 'Unknown',
    source: meta.Source,
    configRevision: meta['Config rev'] !== undefined ? Number(meta['Config rev']) : undefined,
    yaml,
  };
}

export interface ParsedRevision {
  version: number;
  hash: string;
  status: string;
  created: string;
  error?: string;
}

/** `policy list`: `VERSION HASH STATUS CREATED ERROR`, whitespace-separated, error text last. */
export function parsePolicyList(text: string): ParsedRevision[] {
  const rows: ParsedRevision[] = [];
  for (const l of lines(text)) {
    const m = /^\s*(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(l);
    if (!m) continue;
    const error = m[5]!.trim();
    rows.push({
      version: Number(m[1]),
      hash: m[2]!,
      status: m[3]!,
      created: m[4]!,
      ...(error ? { error } : {}),
    });
  }
  return rows;
}

export interface ParsedForward {
  sandbox: string;
  bind: string;
  port: number;
  pid?: number;
  status: string;
}

/** `forward list`: `SANDBOX BIND PORT PID STATUS`; "No active forwards." goes to stderr. */
export function parseForwardList(text: string): ParsedForward[] {
  const rows: ParsedForward[] = [];
  for (const l of lines(text)) {
    const m = /^(\S+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s*$/.exec(l);
    if (!m || m[1] === 'SANDBOX') continue;
    const pid = Number(m[4]);
    rows.push({
      sandbox: m[1]!,
      bind: m[2]!,
      port: Number(m[3]),
      ...(Number.isInteger(pid) ? { pid } : {}),
      status: m[5]!,
    });
  }
  return rows;
}

/** `policy set` reports on stderr: `✓ Policy version N submitted` or `· Policy unchanged (version N…`. */
export function parsePolicySet(stderr: string): { version?: number; unchanged: boolean } {
  const text = stripAnsi(stderr);
  const unchanged = /Policy unchanged/.test(text);
  const m = /Policy (?:unchanged \()?version (\d+)/.exec(text);
  return { version: m ? Number(m[1]) : undefined, unchanged };
}

/** `Created sandbox: <name>` from a non-TTY `sandbox create`. */
export function parseCreatedSandbox(stdout: string): string | undefined {
  return /Created sandbox:\s*(\S+)/.exec(stripAnsi(stdout))?.[1];
}

export interface ParsedLogLine {
  epochMs: number;
  source: string;
  level: string;
  target: string;
  message: string;
}

/** `[<epoch>.<ms>] [<source>] [<LEVEL>] [<target>] <msg> [k=v…]`. */
export function parseLogLine(line: string): ParsedLogLine | undefined {
  const m = /^\[(\d+)\.(\d{3})\] \[([^\]]+)\] \[([^\]]+)\] \[([^\]]*)\] ?(.*)$/.exec(
    stripAnsi(line),
  );
  if (!m) return undefined;
  return {
    epochMs: Number(m[1]) * 1000 + Number(m[2]),
    source: m[3]!.trim(),
    level: m[4]!.trim(),
    target: m[5]!,
    message: m[6]!,
  };
}

/** The message of a miette report (`Error:   × …`) or a clap error (`error: …`). */
export function errorHeadline(stderr: string): string | undefined {
  const text = stripAnsi(stderr);
  const miette = /^\s*Error:\s*[×x]\s*(.+)$/m.exec(text);
  if (miette) {
    const grpc = /message:\s*"((?:[^"\\]|\\.)*)"/.exec(miette[1]!);
    return grpc ? grpc[1]!.replace(/\\"/g, '"') : miette[1]!.trim();
  }
  const clap = /^error:\s*(.+)$/m.exec(text);
  if (clap) return clap[1]!.trim();
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);
}

/** True when stderr is the CLI's own failure report, not a remote command's output. */
export function isCliFailure(stderr: string, exitCode: number): boolean {
  const text = stripAnsi(stderr);
  if (exitCode === 2 && /For more information, try '--help'/.test(text)) return true;
  return /^\s*Error:\s*×/m.test(text);
}

/**
 * What kind of failure an exit-1 stderr describes. The CLI carries gRPC codes in its text
 * (`status: NotFound, …`); local failures (no gateway) have their own wording.
 */
export function classifyFailure(stderr: string): ErrorKind {
  const text = stripAnsi(stderr);
  // No registered gateway: nothing answers on nemoclaw's behalf, like a gateway that is down.
  if (/No active gateway|Unknown gateway|No gateway configured/i.test(text)) return 'unavailable';
  // A missing remote path (download over SSH tar) is reported as the path not existing.
  if (
    /status: NotFound\b|\bnot found\b|No gateway metadata found|does not exist|No such file or directory/i.test(
      text,
    )
  )
    return 'not-found';
  if (/status: AlreadyExists\b|already exists/i.test(text)) return 'conflict';
  if (
    /status: InvalidArgument\b|failed to parse sandbox policy|unsupported provider type/i.test(text)
  ) {
    return 'invalid';
  }
  if (
    /status: (Unavailable|DeadlineExceeded)\b|failed to connect|transport error|connection refused/i.test(
      text,
    )
  ) {
    return 'unavailable';
  }
  if (/status: (PermissionDenied|Unauthenticated)\b/.test(text)) return 'denied';
  return 'failed';
}
