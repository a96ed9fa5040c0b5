/**
 * Entry point. The commonest cheap invocations are answered before the command framework loads,
 * to stay within the startup budget (product.md §13):
 * - `--version` prints a constant;
 * - `--help` prints the root help rendered by commander at build time (a test keeps it identical);
 * - `list` and `list --json` go straight to their use case.
 * Everything else goes through main().
 */
import module from 'node:module';
import { VERSION } from './version.ts';

declare const __NEMOCLAW_ROOT_HELP__: string | undefined;

export async function run(agent?: 'hermes'): Promise<void> {
  // `nemoclaw list | head`: a reader that goes away is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const argv = process.argv.slice(2);
  const only = argv.length === 1 ? argv[0] : undefined;
  if (only === '--version' || only === '-V') {
    process.stdout.write(`nemoclaw v${VERSION}\n`);
    return;
  }
  if (
    (only === '--help' || only === '-h' || argv.length === 0) &&
    typeof __NEMOCLAW_ROOT_HELP__ === 'string' &&
    !agent
  ) {
    process.stdout.write(__NEMOCLAW_ROOT_HELP__);
    return;
  }
  // V8's on-disk code cache roughly halves the cost of loading the rest of the CLI.
  module.enableCompileCache?.();
  const io = {
    argv: agent ? ['--agent', agent, ...argv] : argv,
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    agent,
  };
  const { main, mainFast } = await import('./main.ts');
  const fast =
    argv[0] === 'list' && (argv.length === 1 || (argv.length === 2 && argv[1] === '--json'));
  process.exitCode = fast
    ? await mainFast(io, 'list', { json: argv[1] === '--json' })
    : await main(io);
}
