import type { Command } from 'commander';
import { action, type CommandEnv } from './types.ts';

export function registerBlueprint(program: Command, env: CommandEnv): void {
  const bp = program
    .command('blueprint')
    .description('list, verify and show the versioned sandbox blueprints');
  bp.command('list')
    .description('list packaged blueprint versions and their digests')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { json?: boolean }) =>
        (await import('../usecases/blueprint.ts')).blueprintList(env.ctx(), o),
      ),
    );
  bp.command('verify')
    .description('recompute a blueprint digest and compare it with the pinned one')
    .argument('[version]', 'a packaged version, a folder, or an https URL (default: newest)')
    .option('--blueprint-sha256 <digest>', 'sha256:<hex> pin of a blueprint archive URL')
    .option('--json', 'print JSON')
    .action(
      action(
        env,
        async (version: string | undefined, o: { json?: boolean; blueprintSha256?: string }) =>
          (await import('../usecases/blueprint.ts')).blueprintVerify(env.ctx(), {
            ...o,
            spec: version,
          }),
      ),
    );
  bp.command('show')
    .description('print a blueprint')
    .argument('[version]', 'a packaged version or a folder (default: newest)')
    .option('--json', 'print JSON')
    .action(
      action(env, async (version: string | undefined, o: { json?: boolean }) =>
        (await import('../usecases/blueprint.ts')).blueprintShow(env.ctx(), {
          ...o,
          spec: version,
        }),
      ),
    );
}
