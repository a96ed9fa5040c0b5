import type { Command } from 'commander';
import { action, type CommandEnv, type VerbSummary } from './types.ts';

export const REBUILD_VERBS: VerbSummary[] = [
  {
    usage: 'rebuild [--yes] [--resume] [--blueprint V] [--rollback] [--dry-run]',
    summary: 'recreate (or upgrade) the sandbox without losing its state',
  },
];

interface RebuildFlags {
  yes?: boolean;
  resume?: boolean;
  blueprint?: string;
  blueprintSha256?: string;
  rollback?: boolean;
  dryRun?: boolean;
}

export function registerRebuild(program: Command, env: CommandEnv): void {
  program
    .command('rebuild')
    .description(
      'snapshot, recreate from its blueprint (or --blueprint), restore, migrate, re-apply policies (journaled)',
    )
    .option('--yes', 'do not ask for confirmation')
    .option('--resume', 'continue an interrupted rebuild from where it stopped')
    .option('--blueprint <ref>', 'rebuild onto this blueprint: a version, folder or https URL')
    .option('--blueprint-sha256 <digest>', 'sha256:<hex> pin of a blueprint archive URL')
    .option('--rollback', 'go back to the blueprint and state before the last upgrade')
    .option('--dry-run', 'print the plan and the blueprint diff; change nothing')
    .action(
      action(env, async (o: RebuildFlags) => {
        const { rebuild } = await import('../usecases/rebuild.ts');
        const world = env.world();
        return rebuild(
          env.ctx(),
          { ...world, openshell: await world.sandboxClient(env.sandboxName!) },
          { sandbox: env.sandboxName!, ...o },
        );
      }),
    );
}
