/**
 * Entry point. The commonest cheap invocations are answered before the command framework loads,
 * to stay within the startup budget (product.md §13, docs/performance.md):
 * - `--version` prints a constant;
 * - `--help` prints the root help rendered by commander at build time (a test keeps it identical);
 * - `list` and `list --json` go straight to their use case (list-fast.ts).
 * These write with writeSync(1): building `process.stdout` (a net.Socket on a pipe, a tty stream
 * on a terminal) costs more than the rest of `--version`. Everything else goes through main().
 * This module imports nothing of its own, so that `--version` and `--help` load one file.
 */
import { writeSync } from 'node:fs';
import module from 'node:module';
import type { Writable } from './adapters/terminal/ui.ts';

declare const __NEMOCLAW_ROOT_HELP__: string | undefined;
declare const __NEMOCLAW_VERSION__: string | undefined;

export async function run(agent?: 'hermes'): Promise<void> {
  const argv = process.argv.slice(2);
  const only = argv.length === 1 ? argv[0] : undefined;
  if (only === '--version' || only === '-V') {
    const version =
      typeof __NEMOCLAW_VERSION__ === 'string'
        ? __NEMOCLAW_VERSION__
        : (await import('./version.ts')).VERSION;
    stdout.write(`nemoclaw v${version}\n`);
    return;
  }
  if (
    (only === '--help' || only === '-h' || argv.length === 0) &&
    typeof __NEMOCLAW_ROOT_HELP__ === 'string' &&
    !agent
  ) {
    stdout.write(__NEMOCLAW_ROOT_HELP__);
    return;
  }
  enableCompileCache(process.env);
  const base = { argv: agent ? ['--agent', agent, ...argv] : argv, env: process.env, agent };
  if (argv[0] === 'list' && (argv.length === 1 || (argv.length === 2 && argv[1] === '--json'))) {
    const { listFast } = await import('./list-fast.ts');
    const io = {
      ...base,
      cwd: process.cwd(),
      stdout,
      stderr,
      // Asked only if used: finding out builds process.stdin.
      get stdinIsTTY() {
        return Boolean(process.stdin.isTTY);
      },
    };
    process.exitCode = await listFast(io, argv[1] === '--json');
    return;
  }
  // `nemoclaw logs | head`: a reader that goes away is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const { main } = await import('./main.ts');
  process.exitCode = await main({
    ...base,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
  });
}

/**
 * V8's on-disk code cache spares compiling the chunks again on every run. It lives in the
 * user's own cache folder (a shared /tmp one could be filled by another user), and a folder that
 * cannot be made or written only means no cache: node reports that in the return value and skips
 * writing at exit, so this never fails a command.
 */
export function compileCacheDir(env: Record<string, string | undefined>): string | undefined {
  const base = env.XDG_CACHE_HOME?.startsWith('/')
    ? env.XDG_CACHE_HOME
    : env.HOME?.startsWith('/')
      ? `${env.HOME}/.cache`
      : undefined;
  return base && `${base}/nemoclaw/compile-cache`;
}

function enableCompileCache(env: Record<string, string | undefined>): void {
  const dir = compileCacheDir(env);
  if (!dir || !module.enableCompileCache) return;
  try {
    module.enableCompileCache(dir);
  } catch {
    // no cache this time
  }
}

/**
 * stdout written with writeSync: a pipe that is full (EAGAIN, a non-blocking descriptor) hands
 * the rest to process.stdout, in order; a reader that went away (EPIPE, `nemoclaw list | head`)
 * ends the process quietly, as the stream's handler does on the main path.
 */
let stdoutStream: NodeJS.WriteStream | undefined;
function toStream(): NodeJS.WriteStream {
  if (!stdoutStream) {
    stdoutStream = process.stdout;
    stdoutStream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  return stdoutStream;
}

export const stdout: Writable = {
  write(text: string): boolean {
    if (stdoutStream) return stdoutStream.write(text);
    let buf = Buffer.from(text, 'utf8');
    while (buf.length > 0) {
      try {
        buf = buf.subarray(writeSync(1, buf));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
        if (code === 'EAGAIN') return toStream().write(buf);
        throw e;
      }
    }
    return true;
  },
  get isTTY() {
    return toStream().isTTY;
  },
};

/** stderr is rarely written by the fast paths: the stream is built only if it is. */
export const stderr: Writable = {
  write: (text: string) => process.stderr.write(text),
  get isTTY() {
    return process.stderr.isTTY;
  },
};
