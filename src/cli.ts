/**
 * Entry point. `--version` is answered before anything else loads, to stay within the startup
 * budget (product.md §13); everything else goes through main().
 */
import module from 'node:module';
import { VERSION } from './version.ts';

export async function run(agent?: 'hermes'): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`nemoclaw v${VERSION}\n`);
    return;
  }
  // V8's on-disk code cache roughly halves the cost of loading the rest of the CLI.
  module.enableCompileCache?.();
  const { main } = await import('./main.ts');
  const code = await main({
    argv: agent ? ['--agent', agent, ...argv] : argv,
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    agent,
  });
  process.exitCode = code;
}
