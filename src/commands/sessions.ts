/** `nemoclaw <name> sessions export [--out DIR|--format tar] [--since D]`. */
import type { Command } from 'commander';
import { action, type CommandEnv } from './types.ts';

export const SESSIONS_VERBS = [
  {
    usage: 'sessions export [--out DIR] [--format tar]',
    summary: "export the agent's session logs, redacted, with a hash manifest",
  },
];

export function registerSessions(program: Command, env: CommandEnv): void {
  program
    .command('sessions')
    .description("the agent's session logs")
    .command('export')
    .description(
      'copy the session logs out of the sandbox (redacted on the host side) with a manifest of SHA-256 hashes',
    )
    .option('--out <path>', 'the folder (or .tar.gz with --format tar) to write')
    .option('--format <format>', 'dir (default) or tar')
    .option('--since <when>', 'only sessions changed since an ISO date or a duration (12h, 7d)')
    .action(
      action(env, async (o: { out?: string; format?: string; since?: string }) => {
        const { sessionsExport } = await import('../usecases/sessions-export.ts');
        const openshell = await env.world().sandboxClient(env.sandboxName!);
        return sessionsExport(env.ctx(), openshell, { sandbox: env.sandboxName!, ...o });
      }),
    );
}
