/** Runs nemoclaw's main() in-process with captured output, for fast CLI tests. */
import { main } from '../../src/main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = {},
  options: { stdinIsTTY?: boolean; cwd?: string } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    env: { PATH: process.env.PATH, ...env },
    cwd: options.cwd ?? process.cwd(),
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true) },
    stdinIsTTY: options.stdinIsTTY ?? false,
  });
  return { code, stdout, stderr };
}
