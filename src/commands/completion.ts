/** `nemoclaw completion bash|zsh|fish`, and the hidden `__complete sandboxes` the scripts call. */
import { Argument, type Command } from 'commander';
import { SHELLS, type Shell } from '../core/completion.ts';
import { action, type CommandEnv } from './types.ts';

export function registerCompletion(program: Command, env: CommandEnv): void {
  program
    .command('completion')
    .description('print a shell completion script')
    .addArgument(new Argument('<shell>', 'the shell').choices([...SHELLS]))
    .addHelpText('after', '\nExample: source <(nemoclaw completion bash)')
    .action(
      action(env, async (shell: Shell) => {
        const { buildSandboxProgram } = await import('./sandbox.ts');
        const { commandTree } = await import('./tree.ts');
        const { completionScript } = await import('../core/completion.ts');
        const quiet = { write: () => true };
        const io = { argv: [], env: {}, cwd: '/', stdout: quiet, stderr: quiet, stdinIsTTY: false };
        const sandbox = buildSandboxProgram(io, env, '<name>');
        env.ctx().ui.out(completionScript(shell, commandTree(program, sandbox)).trimEnd());
      }),
    );
  program
    .command('__complete', { hidden: true })
    .argument('<what>')
    .action(
      action(env, async (what: string) => {
        if (what !== 'sandboxes') return 0;
        const reg = await env
          .ctx()
          .registry()
          .read()
          .catch(() => undefined);
        for (const n of Object.keys(reg?.sandboxes ?? {}).sort()) env.ctx().ui.out(n);
        return 0;
      }),
    );
}
