import type { Command } from 'commander';
import { action, type CommandEnv } from './types.ts';

export function registerList(program: Command, env: CommandEnv): void {
  program
    .command('list')
    .description('list registered sandboxes (default marked with *)')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { json?: boolean }) =>
        (await import('../usecases/list.ts')).listSandboxes(env.ctx(), o),
      ),
    );
}
