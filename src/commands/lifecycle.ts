/**
 * Lifecycle commands (issue 15): `<name> stop|start`, global `stop --all|start --all`,
 * `upgrade-sandboxes` and `profiles list`.
 */
import type { Command } from 'commander';
import { UsageError } from '../core/errors.ts';
import { action, type CommandEnv, type VerbSummary } from './types.ts';

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
          return sandboxLifecycle(ctx, env.world(), {
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
          return lifecycleAll(ctx, env.world(), { verb, dryRun: o.dryRun });
        }),
      );
  }
}

export function registerUpgradeAndProfiles(program: Command, env: CommandEnv): void {
  program
    .command('upgrade-sandboxes')
    .description('list sandboxes behind the newest blueprint and why; rebuild each onto it')
    .option('--check', 'only list them; change nothing')
    .option('--yes', 'do not ask for confirmation')
    .option('--dry-run', 'print each rebuild plan with its blueprint diff; change nothing')
    .action(
      action(env, async (o: { check?: boolean; yes?: boolean; dryRun?: boolean }) => {
        const ctx = env.ctx();
        const { upgradeSandboxes } = await import('../usecases/upgrade.ts');
        return upgradeSandboxes(ctx, env.world(), o);
      }),
    );
  const profiles = program
    .command('profiles')
    .description('blueprint profiles: an inference profile and the sandbox resources');
  profiles
    .command('list')
    .description('the profiles of the newest packaged blueprint (or --blueprint)')
    .option('--json', 'print JSON')
    .option('--blueprint <ref>', 'a blueprint version, folder or https URL')
    .option('--blueprint-sha256 <digest>', 'sha256:<hex> pin of a blueprint archive URL')
    .action(
      action(env, async (o: { json?: boolean; blueprint?: string; blueprintSha256?: string }) => {
        const { profilesList } = await import('../usecases/profiles.ts');
        return profilesList(env.ctx(), o);
      }),
    );
}
