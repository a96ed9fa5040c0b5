/**
 * Runs one `openshell` call through execa and turns its failures into typed errors. The binary is
 * `bin`, else $NEMOCLAW_OPENSHELL_BIN, else `openshell` on PATH. `-g <gateway>` goes on every call,
 * and `--workspace <w>` when the client is bound to one.
 * The child's environment is built here and only here: credentials are added per call and never
 * logged; the log gets the (redacted) argv, the exit code and the duration.
 */
import type { Logger } from '../log.ts';
import type { OpenshellCall } from '../../core/openshell/argv.ts';
import { formatCall } from '../../core/openshell/argv.ts';
import { classifyFailure, errorHeadline, isCliFailure } from '../../core/openshell/parse.ts';
import type { ErrorKind } from '../../core/errors.ts';
import { NemoclawError } from '../../core/errors.ts';
import { redact } from '../../core/redact.ts';
import { openshellChildEnv } from '../../core/openshell/child-env.ts';

export type Env = Record<string, string | undefined>;

export interface RunnerOptions {
  /** The openshell binary; default $NEMOCLAW_OPENSHELL_BIN, then `openshell` on PATH. */
  bin?: string;
  /** Passed as `-g` on every call. */
  gateway: string;
  /** Passed as `--workspace` on every call when set; else OpenShell's `default`. */
  workspace?: string;
  /** Where the children's environment is taken from (default process.env); only the part
   * core/openshell/child-env.ts allows reaches them. */
  env?: Env;
  /** Per-call timeout unless a call says otherwise (default 120 s). */
  timeoutMs?: number;
  log?: Logger;
}

export interface RunOptions {
  /** Extra environment for this call only (credential values). */
  env?: Record<string, string>;
  timeoutMs?: number;
  input?: string;
  /** Attach the child to this terminal (interactive connect). */
  inherit?: boolean;
  signal?: AbortSignal;
  onStdoutLine?: (line: string) => void;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export const INSTALL_HINT =
  'Install OpenShell with the nemoclaw installer (install.sh), or set NEMOCLAW_OPENSHELL_BIN to the openshell binary.';

export interface Runner {
  readonly bin: string;
  readonly gateway: string;
  run(call: OpenshellCall, o?: RunOptions): Promise<RunResult>;
  /** Throws the typed error for a non-zero exit. */
  check(call: OpenshellCall, r: RunResult): RunResult;
}

export function createRunner(o: RunnerOptions): Runner {
  const baseEnv = o.env ?? process.env;
  const bin = o.bin ?? baseEnv.NEMOCLAW_OPENSHELL_BIN ?? 'openshell';
  const defaultTimeout = o.timeoutMs ?? 120_000;
  const shown = (call: OpenshellCall) => redact(formatCall(call, o.gateway, o.workspace));
  const ws = o.workspace ? ['--workspace', o.workspace] : [];

  async function run(call: OpenshellCall, ro: RunOptions = {}): Promise<RunResult> {
    const { execa } = await import('execa');
    const argv = [...call.verb, '-g', o.gateway, ...ws, ...call.args];
    // A minimal environment plus this call's own credentials (core/openshell/child-env.ts).
    const env = openshellChildEnv(baseEnv, ro.env);
    delete env.OPENSHELL_WORKSPACE; // the workspace is the entry's, never the caller's shell's
    const started = Date.now();
    const timeout = ro.timeoutMs ?? defaultTimeout;
    const sub = execa(bin, argv, {
      env,
      extendEnv: false,
      reject: false,
      timeout: timeout > 0 ? timeout : undefined,
      cancelSignal: ro.signal,
      forceKillAfterDelay: 2_000,
      maxBuffer: 256 * 1024 * 1024,
      // exec returns the remote command's output byte for byte.
      stripFinalNewline: false,
      ...(ro.inherit
        ? { stdio: 'inherit' as const }
        : ro.input !== undefined
          ? { input: ro.input }
          : { stdin: 'ignore' as const }),
    });
    if (ro.onStdoutLine && sub.stdout) {
      let rest = '';
      sub.stdout.on('data', (chunk: Buffer) => {
        const parts = (rest + chunk.toString('utf8')).split('\n');
        rest = parts.pop() ?? '';
        for (const l of parts) ro.onStdoutLine!(l);
      });
    }
    const r = await sub;
    o.log?.debug(
      { openshell: shown(call), exitCode: r.exitCode ?? null, ms: Date.now() - started },
      'openshell call',
    );
    const stdout = typeof r.stdout === 'string' ? r.stdout : '';
    const stderr = typeof r.stderr === 'string' ? r.stderr : '';
    if (r.failed && r.exitCode === undefined) {
      if (r.code === 'ENOENT' || r.code === 'EACCES') {
        throw new NemoclawError('not-found', `the openshell binary was not found: ${bin}`, {
          hint: INSTALL_HINT,
          detail: { bin },
        });
      }
      if (r.timedOut) {
        throw new NemoclawError(
          'timeout',
          `openshell ${call.verb.join(' ')} timed out after ${Math.round(timeout / 1000)} s`,
          {
            hint: `Check the gateway with: openshell status -g ${o.gateway}`,
            detail: { command: shown(call), stderr: redact(stderr) },
          },
        );
      }
      if (r.isCanceled)
        throw new NemoclawError('canceled', `openshell ${call.verb.join(' ')} was canceled`);
      throw new NemoclawError(
        'failed',
        `openshell ${call.verb.join(' ')} did not run: ${redact(r.shortMessage ?? '')}`,
        {
          detail: { command: shown(call), stderr: redact(stderr) },
        },
      );
    }
    return { exitCode: r.exitCode ?? 0, stdout, stderr };
  }

  function check(call: OpenshellCall, r: RunResult): RunResult {
    if (r.exitCode === 0) return r;
    throw failure(call, r, shown(call), o.gateway);
  }

  return { bin, gateway: o.gateway, run, check };
}

const HINTS: Partial<Record<ErrorKind, (gateway: string) => string>> = {
  unavailable: (g) => `Check the gateway with: openshell status -g ${g} (or run nemoclaw doctor).`,
  timeout: (g) => `Retry; if it keeps timing out, check the gateway: openshell status -g ${g}.`,
};

export function failure(
  call: OpenshellCall,
  r: RunResult,
  command: string,
  gateway: string,
): NemoclawError {
  const stderr = redact(r.stderr);
  // `--version` has no subcommand: name it by its flag.
  const verb = (call.verb.length > 0 ? call.verb : call.args).join(' ');
  const headline = errorHeadline(stderr) ?? `exit code ${r.exitCode}`;
  let kind: ErrorKind;
  let hint: string | undefined;
  if (r.exitCode === 2 && isCliFailure(stderr, 2)) {
    kind = 'invalid';
    hint =
      'The openshell CLI rejected these arguments: check `openshell --version` is in the blueprint range; otherwise this is a nemoclaw bug.';
  } else if (r.exitCode === 124) kind = 'timeout';
  else if (r.exitCode === 1) kind = classifyFailure(stderr);
  else kind = 'failed';
  hint ??= HINTS[kind]?.(gateway);
  return new NemoclawError(kind, `openshell ${verb} failed: ${headline}`, {
    hint,
    detail: { command, exitCode: r.exitCode, stderr },
  });
}
