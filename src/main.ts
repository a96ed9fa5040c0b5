/**
 * The composition root (house style 1): builds the context and the program, runs it, and alone maps
 * errors to exit codes and printed messages. `main` never calls process.exit, so tests run it
 * in-process.
 */
import { createLazyLogger, type Logger } from './adapters/log.ts';
import { packageRoot } from './adapters/package-root.ts';
import { resolveHome, statePaths } from './adapters/state/paths.ts';
import { registryStore } from './adapters/state/registry-store.ts';
import { createUi, wantColor, type Writable } from './adapters/terminal/ui.ts';
import type { Context, Env } from './context.ts';
import type { OpenshellClient } from './adapters/openshell/types.ts';
import { isTruthy } from './core/consent.ts';
import { jsonRequested, errorJson } from './core/error-report.ts';
import { ExitCode, NemoclawError, errorMessage } from './core/errors.ts';
import { redact, registerSecretsFromEnv } from './core/redact.ts';
import type { Agent } from './core/registry/schema.ts';

export interface MainIo {
  argv: string[];
  env: Env;
  cwd: string;
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY: boolean;
  /** `nemohermes` passes 'hermes'. */
  agent?: Agent;
}

export function buildContext(
  io: MainIo,
  flags: { quiet: boolean; verbose: boolean; color: boolean },
): Context {
  const paths = statePaths(resolveHome(io.env));
  const ui = createUi({
    stdout: io.stdout,
    stderr: io.stderr,
    stdinIsTTY: io.stdinIsTTY,
    quiet: flags.quiet,
    color: wantColor(io.env, io.stderr, flags.color),
  });
  const log: Logger = createLazyLogger({
    dir: paths.logsDir,
    command: io.argv.slice(0, 2).join(' '),
    mirror: flags.verbose ? (l) => void io.stderr.write(l) : undefined,
    level: io.env.NEMOCLAW_LOG_LEVEL,
  });
  let registry: ReturnType<typeof registryStore> | undefined;
  let openshell: Promise<OpenshellClient> | undefined;
  const ctx: Context = {
    env: io.env,
    cwd: io.cwd,
    paths,
    packageRoot: packageRoot(io.env.NEMOCLAW_PACKAGE_ROOT),
    ui,
    log,
    defaultAgent: io.agent ?? 'openclaw',
    nonInteractive: isTruthy(io.env.NEMOCLAW_NON_INTERACTIVE) || !io.stdinIsTTY,
    now: () => new Date(),
    registry: () => (registry ??= registryStore(paths.registry)),
    // Bound to nemoclaw's gateway; built on first use so commands that never call OpenShell
    // never load execa.
    openshell: () =>
      (openshell ??= import('./adapters/openshell/factory.ts').then((m) => m.openshellClient(ctx))),
  };
  return ctx;
}

export async function main(io: MainIo): Promise<number> {
  registerSecretsFromEnv(io.env);
  const { runProgram } = await import('./program.ts');
  let ctx: Context | undefined;
  try {
    return await runProgram(io, (flags) => (ctx = buildContext(io, flags)));
  } catch (e) {
    return reportError(e, io, ctx);
  } finally {
    ctx?.log.flush();
  }
}

/** The `list` fast path: the same use case, without building the command tree. */
export async function mainFast(
  io: MainIo,
  _command: 'list',
  o: { json: boolean },
): Promise<number> {
  registerSecretsFromEnv(io.env);
  let ctx: Context | undefined;
  try {
    ctx = buildContext(io, { quiet: false, verbose: false, color: true });
    const { listSandboxes } = await import('./usecases/list.ts');
    return await listSandboxes(ctx, o);
  } catch (e) {
    return reportError(e, io, ctx);
  } finally {
    ctx?.log.flush();
  }
}

export function reportError(e: unknown, io: MainIo, ctx: Context | undefined): number {
  if (jsonRequested(io.argv)) {
    ctx?.log.error({ err: errorMessage(e), stack: (e as Error)?.stack }, 'command failed');
    const { line, exitCode } = errorJson(e);
    io.stderr.write(line);
    return exitCode;
  }
  const write = (s: string) => void io.stderr.write(`${redact(s)}\n`);
  if (e instanceof NemoclawError) {
    ctx?.log.error({ kind: e.kind, detail: e.detail, err: errorMessage(e) }, 'command failed');
    write(`Error: ${e.message}`);
    if (e.hint) write(`  ${e.hint}`);
    return e.exitCode;
  }
  ctx?.log.error({ err: errorMessage(e), stack: (e as Error)?.stack }, 'unexpected error');
  write(`Error: ${errorMessage(e)}`);
  write('  This is a bug in nemoclaw. Run `nemoclaw debug` and attach the bundle to a report.');
  if (isTruthy(io.env.NEMOCLAW_DEBUG) && e instanceof Error && e.stack) write(e.stack);
  return ExitCode.failure;
}
