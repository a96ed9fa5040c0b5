/** Operator tooling: `doctor`, `debug`, `gc`, `uninstall`. Declarations only. */
import type { Command } from 'commander';
import { action, type CommandEnv } from './types.ts';

export function registerDoctor(program: Command, env: CommandEnv): void {
  program
    .command('doctor')
    .description('run every preflight check plus state consistency checks, each with its fix')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { json?: boolean }) =>
        (await import('../usecases/doctor.ts')).doctorCommand(env.ctx(), o, env.world()),
      ),
    );
}

export function registerDebug(program: Command, env: CommandEnv): void {
  program
    .command('debug')
    .description('write a redacted tar.gz bundle for a bug report, with a manifest')
    .option('-q, --quick', 'skip the slow probes (doctor, container and sandbox logs)')
    .option('--sandbox <name>', "add this sandbox's details, policy and recent logs")
    .option(
      '-o, --output <file>',
      'where to write the bundle (default: ./nemoclaw-debug-<time>.tar.gz)',
    )
    .action(
      action(env, async (o: { quick?: boolean; sandbox?: string; output?: string }) =>
        (await import('../usecases/debug.ts')).debugCommand(env.ctx(), env.world(), o),
      ),
    );
}

export function registerGc(program: Command, env: CommandEnv): void {
  program
    .command('gc')
    .description('remove images and containers nemoclaw made that no registered sandbox uses')
    .option('--dry-run', 'list what would be removed; remove nothing')
    .action(
      action(env, async (o: { dryRun?: boolean }) =>
        (await import('../usecases/gc.ts')).gcCommand(env.ctx(), env.world(), o),
      ),
    );
}

export function registerUninstall(program: Command, env: CommandEnv): void {
  program
    .command('uninstall')
    .description('remove sandboxes, the gateway, images and state (snapshots are kept)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--keep-openshell', 'keep the OpenShell CLI and its images')
    .option('--delete-models', 'also remove downloaded local models')
    .option(
      '--destroy-user-data',
      'also remove snapshots and the gateway state volume (credentials)',
    )
    .option('--dry-run', 'print what would be removed and kept; remove nothing')
    .action(
      action(
        env,
        async (o: {
          yes?: boolean;
          keepOpenshell?: boolean;
          deleteModels?: boolean;
          destroyUserData?: boolean;
          dryRun?: boolean;
        }) =>
          (await import('../usecases/uninstall.ts')).uninstallCommand(env.ctx(), env.world(), o),
      ),
    );
}
