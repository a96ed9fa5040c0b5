/**
 * Reading `openshell rule get|approve|history` (v0.0.111 crates/openshell-cli/src/run.rs
 * sandbox_draft_*). These commands have no JSON output, and they colour their text with ANSI
 * codes whatever NO_COLOR says, so the codes are stripped first.
 */

export interface RuleEndpoint {
  host: string;
  port: number;
  /** `L4`, `L7 rest`, or the protocol named. */
  layer: string;
  /** `METHOD path` pairs from `allow …` tags; empty for L4. */
  allows: { method: string; path: string }[];
}

export interface RuleChunk {
  id: string;
  status: string;
  rule: string;
  binary: string;
  confidence: number;
  rationale: string;
  security: string;
  endpoints: RuleEndpoint[];
  binaries: string[];
  hits: number;
}

export interface RuleHistoryEntry {
  /** As printed: `HH:MM` or `<d>d HH:MM` (the CLI prints no date). */
  when: string;
  event: string;
  /** The first 8 characters of the chunk id. */
  chunk: string;
  description: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
export const stripAnsi = (s: string): string => s.replace(ANSI, '');

/** `host:port [L7 rest, allow GET /x, deny POST /y]`, comma-joined. */
export function parseEndpoints(text: string): RuleEndpoint[] {
  const out: RuleEndpoint[] = [];
  const re = /([^\s,][^\s]*?)(?::(\d+))? \[([^\]]*)\]/g;
  for (const m of text.matchAll(re)) {
    const tags = m[3]!.split(',').map((t) => t.trim());
    const allows = tags
      .filter((t) => t.startsWith('allow '))
      .map((t) => {
        const [, method = '*', ...path] = t.split(' ');
        return { method, path: path.join(' ') || '*' };
      });
    out.push({ host: m[1]!, port: m[2] ? Number(m[2]) : 0, layer: tags[0] ?? 'L4', allows });
  }
  return out;
}

/** `rule get` text → chunks; the "No network rules" answer → []. */
export function parseRuleGet(stdout: string): RuleChunk[] {
  const text = stripAnsi(stdout);
  const chunks: RuleChunk[] = [];
  let cur: RuleChunk | undefined;
  for (const raw of text.split('\n')) {
    const m = /^ {2}([A-Za-z]+): ?(.*)$/.exec(raw);
    if (!m) continue;
    const [, key, value = ''] = m;
    if (key === 'Chunk') {
      cur = {
        id: value.trim(),
        status: '',
        rule: '',
        binary: '',
        confidence: 0,
        rationale: '',
        security: '',
        endpoints: [],
        binaries: [],
        hits: 1,
      };
      chunks.push(cur);
      continue;
    }
    if (!cur) continue;
    switch (key) {
      case 'Status':
        cur.status = value.trim();
        break;
      case 'Rule':
        cur.rule = value.trim();
        break;
      case 'Binary':
        cur.binary = value.trim();
        break;
      case 'Confidence':
        cur.confidence = Number(value.replace('%', '')) / 100;
        break;
      case 'Rationale':
        cur.rationale = value;
        break;
      case 'Security':
        cur.security = value;
        break;
      case 'Endpoints':
        cur.endpoints = parseEndpoints(value);
        break;
      case 'Binaries':
        cur.binaries = value.split(', ').filter(Boolean);
        break;
      case 'Hits':
        cur.hits = Number(/^(\d+)/.exec(value)?.[1] ?? 1);
        break;
    }
  }
  return chunks;
}

/** `OK Chunk approved. Policy version: 7, hash: abcdef012345`. */
export function parseRuleApprove(stdout: string): { version?: number; hash?: string } {
  const m = /Policy version: (\d+), hash: ([0-9a-f]+)/.exec(stripAnsi(stdout));
  return m ? { version: Number(m[1]), hash: m[2] } : {};
}

export function parseRuleHistory(stdout: string): RuleHistoryEntry[] {
  const out: RuleHistoryEntry[] = [];
  for (const line of stripAnsi(stdout).split('\n')) {
    const m = /^ {2}((?:\d+d )?\d\d:\d\d|-) (\S+) \[([^\]]*)\] (.*)$/.exec(line);
    if (m) out.push({ when: m[1]!, event: m[2]!, chunk: m[3]!, description: m[4]! });
  }
  return out;
}
