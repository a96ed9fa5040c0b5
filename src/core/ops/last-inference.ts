/**
 * The latest routed inference request, read from OpenShell's logs (product.md §13). After each
 * call through `inference.local` the sandbox supervisor emits an OCSF API Activity event whose
 * shorthand is `API:INFERENCE [INFO] Success <model> via <provider> <n>ms [POST /v1/…]`
 * (crates/openshell-supervisor-network/src/proxy.rs `emit_ai_inference`,
 * crates/openshell-ocsf/src/format/shorthand.rs at v0.0.111); `openshell logs` prefixes each line
 * with `[<unix secs>.<ms>]`. Pure.
 */

export interface LastInference {
  at: string;
  model: string;
  provider: string;
  /** OCSF status label: Success, Failure, Unknown, Other. */
  outcome: string;
  latencyMs?: number;
  operation?: string;
}

const EVENT =
  /API:INFERENCE \[[A-Z]+\](?: (Success|Failure|Unknown|Other))? (\S+) via (\S+)(?: (\d+)ms)?(?: \[([^\]]*)\])?/;
const STAMP = /^\[(\d+)\.(\d{3})\]/;

export function lastInference(lines: string[]): LastInference | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const m = EVENT.exec(line);
    if (!m) continue;
    const t = STAMP.exec(line);
    return {
      at: t ? new Date(Number(t[1]) * 1000 + Number(t[2])).toISOString() : 'unknown',
      model: m[2]!,
      provider: m[3]!,
      outcome: m[1] ?? 'Unknown',
      ...(m[4] ? { latencyMs: Number(m[4]) } : {}),
      ...(m[5] ? { operation: m[5] } : {}),
    };
  }
  return undefined;
}

/** One line for `status`: when, what, how it went. */
export function describeLastInference(l: LastInference | undefined): string {
  if (!l) return 'no inference request in the recent logs';
  const latency = l.latencyMs !== undefined ? `, ${l.latencyMs} ms` : '';
  return `${l.at}: ${l.model} via ${l.provider}, ${l.outcome.toLowerCase()}${latency}`;
}
