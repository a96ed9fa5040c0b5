/** `nemoclaw config export [<name>…]` and `nemoclaw apply -f FILE`: declarative configuration. */
import type { Command } from 'commander';
import { action, type CommandEnv } from './types.ts';

export function registerFleet(program: Command, env: CommandEnv): void {
  program
    .command('config')
    .description('declarative configuration: export')
    .command('export')
    .description('write the secret-free configuration of sandboxes as YAML (all when none named)')
    .argument('[names...]', 'sandboxes to export')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(
      action(env, async (names: string[], o: { out?: string }) => {
        const { configExport } = await import('../usecases/config-export.ts');
        return configExport(env.ctx(), { names, out: o.out });
      }),
    );
  program
    .command('apply')
    .description(
      'converge the sandboxes to a configuration file: create, update in place, recreate',
    )
    .requiredOption('-f, --file <file>', 'the configuration (from `config export`)')
    .option('--dry-run', 'print the plan; change nothing')
    .option('--json', 'print the plan (or the applied changes) as JSON')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--prune', 'also destroy registered sandboxes the file does not list')
    .action(
      action(
        env,
        async (o: {
          file: string;
          dryRun?: boolean;
          json?: boolean;
          yes?: boolean;
          prune?: boolean;
        }) => {
          const { applyFile } = await import('../usecases/apply.ts');
          const world = env.world();
          return applyFile(
            env.ctx(),
            {
              ops: world,
              onboard: async (c, flags) =>
                (await import('../usecases/onboard/command.ts')).onboardCommand(c, world, flags),
            },
            o,
          );
        },
      ),
    );
}
