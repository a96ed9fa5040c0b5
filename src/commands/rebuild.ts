import type { Command } from 'commander';
import { action, type CommandEnv } from './types.ts';
import type { VerbSummary } from './sandbox.ts';

export const REBUILD_VERBS: VerbSummary[] = [
  { usage: 'rebuild [--yes] [--resume]', summary: 'recreate the sandbox without losing its state' },
];

export function registerRebuild(program: Command, env: CommandEnv): void {
  program
    .command('rebuild')
    .description(
      'snapshot, recreate from the current blueprint, restore and re-apply policies (journaled)',
    )
    .option('--yes', 'do not ask for confirmation')
    .option('--resume', 'continue an interrupted rebuild from where it stopped')
    .action(
      action(env, async (o: { yes?: boolean; resume?: boolean }) => {
        const ctx = env.ctx();
        const { rebuild } = await import('../usecases/rebuild.ts');
        const { promptConfirm } = await import('../adapters/terminal/confirm.ts');
        const openshell = await ctx.openshell!();
        const run = ctx.env.NEMOCLAW_TEST_RUN_ID;
        return rebuild(
          ctx,
          {
            openshell,
            confirm: (m) => promptConfirm(m),
            extraLabels: run ? { 'nemoclaw.test': run } : undefined,
          },
          { sandbox: env.sandboxName!, yes: o.yes, resume: o.resume },
        );
      }),
    );
}
