/** Output conventions of the real CLI (cli/output.rs): data on stdout, progress on stderr. */

/** A runtime failure: printed miette-style as `Error:   × …`, exit 1 unless told otherwise. */
export class SimError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Ends the command with this exit code and no further output (exec's remote code, --wait). */
export class SimExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.exitCode = exitCode;
  }
}

export type GrpcCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'InvalidArgument'
  | 'FailedPrecondition'
  | 'Unavailable'
  | 'Internal';

/** The way a tonic Status surfaces through `into_diagnostic()`. */
export function grpcError(code: GrpcCode, message: string, hint?: string): SimError {
  const base = `status: ${code}, message: ${JSON.stringify(message)}, details: [], metadata: MetadataMap { headers: {} }`;
  return new SimError(hint ? `${base}\n\n${hint}` : base);
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function formatMiette(message: string): string {
  const [first, ...rest] = message.split('\n');
  return [`Error:   × ${first}`, ...rest.map((l) => (l ? `  │ ${l}` : '  │'))].join('\n') + '\n';
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, as format_epoch_ms prints it. */
export function formatEpochMs(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export function json(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function pad(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}
