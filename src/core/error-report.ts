/**
 * How a failed command reports its error under `--json`: one JSON object on stderr,
 * `{"error":{"kind","message","hint","exitCode"}}` (plus `detail` when the error carries one),
 * redacted, so a script reading `--json` output never has to parse prose. The text form stays in
 * the composition root (src/main.ts `reportError`); this module only decides and formats.
 */
import { ExitCode, NemoclawError, UsageError, errorMessage, type ErrorKind } from './errors.ts';
import { redact, redactValue } from './redact.ts';

/** An error nemoclaw did not expect: a bug, reported as such. */
export const BUG_HINT =
  'This is a bug in nemoclaw. Run `nemoclaw debug` and attach the bundle to a report.';

export interface ErrorReport {
  kind: ErrorKind | 'bug';
  message: string;
  hint?: string;
  exitCode: number;
  detail?: Record<string, unknown>;
}

/** Whether the command line asked for JSON output: `--json` before any `--`. */
export function jsonRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** The structured form of an error, redacted. */
export function errorReport(e: unknown): ErrorReport {
  if (e instanceof NemoclawError) {
    return {
      kind: e.kind,
      message: redact(e.message),
      ...(e.hint ? { hint: redact(e.hint) } : {}),
      exitCode: e.exitCode,
      ...(e.detail ? { detail: redactValue(e.detail) } : {}),
    };
  }
  return {
    kind: 'bug',
    message: redact(errorMessage(e)),
    hint: BUG_HINT,
    exitCode: ExitCode.failure,
  };
}

/** The line written to stderr under `--json`, newline included. */
export function errorJson(e: unknown): { line: string; exitCode: number } {
  const report = errorReport(e);
  return { line: `${JSON.stringify({ error: report })}\n`, exitCode: report.exitCode };
}

/**
 * A usage error commander found (unknown option, missing argument), as nemoclaw's own error, so
 * that `--json` prints it in the same shape: "error: " goes, a "(Did you mean …?)" line becomes the hint.
 */
export function commanderUsageError(message: string): UsageError {
  const lines = message
    .replace(/^error:\s*/i, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const hint = lines.find((l) => /^\(Did you mean/.test(l));
  const text = lines.filter((l) => l !== hint).join(' ');
  return new UsageError(text, hint ? { hint: hint.replace(/^\((.*)\)$/, '$1') } : {});
}
