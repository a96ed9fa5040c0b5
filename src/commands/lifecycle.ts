/**
 * Lifecycle commands (issue 15): `<name> stop|start`, global `stop --all|start --all`,
 * `upgrade-sandboxes` and `profiles list`.
 */
import type { Command } from 'commander';
import { UsageError } from '../core/errors.ts';
import { opsDeps } from './ops.ts';
import type { VerbSummary } from './sandbox.ts';
import { action, type CommandEnv } from './types.ts';

export const LIFECYCLE_VERBS: VerbSummary[] = [
  { usage: 'stop [--dry-run]', summary: 'stop the sandbox; its state is kept' },
  { usage: 'start [--dry-run]', summary: 'start a stopped sandbox and its dashboard forward' },
];

export function registerLifecycle(program: Command, env: CommandEnv): void {
  for (const verb of ['stop', 'start'] as const) {
    program
      .command(verb)
      .description(
        verb === 'stop'
          ? 'stop the sandbox (OpenShell sandbox stop): state kept, dashboard forward down'
          : 'start the stopped sandbox, wait for Ready, bring its dashboard forward back',
      )
      .option('--dry-run', 'print the plan; change nothing')
      .action(
        action(env, async (o: { dryRun?: boolean }) => {
          const ctx = env.ctx();
          const { sandboxLifecycle } = await import('../usecases/lifecycle.ts');
          return sandboxLifecycle(ctx, await opsDeps(ctx), {
            sandbox: env.sandboxName!,
            verb,
            dryRun: o.dryRun,
          });
        }),
      );
  }
}

export function registerLifecycleGlobal(program: Command, env: CommandEnv): void {
  for (const verb of ['stop', 'start'] as const) {
    program
      .command(verb)
      .description(`${verb} every registered sandbox (--all), e.g. around a host reboot`)
      .option('--all', 'every registered sandbox')
      .option('--dry-run', 'print the plans; change nothing')
      .action(
        action(env, async (o: { all?: boolean; dryRun?: boolean }) => {
          if (!o.all) {
            throw new UsageError(`\`nemoclaw ${verb}\` needs --all, or a sandbox name.`, {
              hint: `Run: nemoclaw <name> ${verb}   or   nemoclaw ${verb} --all`,
            });
          }
          const ctx = env.ctx();
          const { lifecycleAll } = await import('../usecases/lifecycle.ts');
          return lifecycleAll(ctx, await opsDeps(ctx), { verb, dryRun: o.dryRun });
        }),
      );
  }
}
