/**
 * Typed errors. Branch on `kind`, never on message text. Only the composition root (src/main.ts)
 * turns these into exit codes and printed messages.
 */

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  timeout: 124,
  interrupted: 130,
} as const;

export type ErrorKind =
  | 'usage' // bad flag or value; exit 2
  | 'invalid' // input that fails validation; exit 2
  | 'not-found'
  | 'conflict'
  | 'unavailable' // a dependency (Docker, OpenShell, network) did not answer
  | 'timeout'
  | 'canceled'
  | 'corrupt' // a state file we cannot read; never reset
  | 'integrity' // digest or checksum mismatch
  | 'denied' // permissions
  | 'failed'; // anything else operational

export interface ErrorOptions {
  /** The next thing the user should do. */
  hint?: string;
  cause?: unknown;
  /** Overrides the exit code derived from the kind. */
  exitCode?: number;
  /** Structured detail for --json and the log; must already be secret-free. */
  detail?: Record<string, unknown>;
}

export class NemoclawError extends Error {
  readonly kind: ErrorKind;
  readonly hint: string | undefined;
  readonly detail: Record<string, unknown> | undefined;
  readonly #exitCode: number | undefined;

  constructor(kind: ErrorKind, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NemoclawError';
    this.kind = kind;
    this.hint = options.hint;
    this.detail = options.detail;
    this.#exitCode = options.exitCode;
  }

  get exitCode(): number {
    if (this.#exitCode !== undefined) return this.#exitCode;
    return exitCodeForKind(this.kind);
  }
}

/** A problem the user can fix: bad input, missing prerequisite. */
export class UserError extends NemoclawError {
  constructor(message: string, options: ErrorOptions & { kind?: ErrorKind } = {}) {
    super(options.kind ?? 'failed', message, options);
    this.name = 'UserError';
  }
}

/** Bad command-line usage or invalid input values: exit 2, nothing changed. */
export class UsageError extends NemoclawError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('usage', message, options);
    this.name = 'UsageError';
  }
}

export function exitCodeForKind(kind: ErrorKind): number {
  switch (kind) {
    case 'usage':
    case 'invalid':
      return ExitCode.usage;
    case 'canceled':
      return ExitCode.interrupted;
    default:
      return ExitCode.failure;
  }
}

export function isNemoclawError(e: unknown): e is NemoclawError {
  return e instanceof NemoclawError;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
