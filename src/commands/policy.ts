/** `nemoclaw <name> policy-add | policy-remove | policy-list | policy-get | policy-check`. */
import type { Command } from 'commander';
import { action, type CommandEnv } from './types.ts';

export const POLICY_VERBS = [
  {
    usage: 'policy-add <preset>|--from-file F',
    summary: 'add a network policy preset or custom policy',
  },
  { usage: 'policy-remove <preset>', summary: 'remove a preset or custom policy' },
  { usage: 'policy-list [--json]', summary: 'presets, applied (●) or not (○)' },
  { usage: 'policy-get [--raw]', summary: 'print the effective policy' },
  {
    usage: 'policy-check <url>',
    summary: 'explain whether a request is allowed, and by which rule',
  },
];

function sandboxOf(env: CommandEnv): string {
  // Registered only under `nemoclaw <name>`, which sets the name before parsing.
  return env.sandboxName!;
}

export function registerPolicy(program: Command, env: CommandEnv): void {
  program
    .command('policy-add')
    .description('add a network policy preset (or a custom policy file) to the sandbox')
    .argument('[preset]', 'a preset name (see policy-list)')
    .option('--from-file <file>', 'a custom policy: network_policies entries in YAML')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--dry-run', 'print the change to the effective policy; change nothing')
    .action(
      action(
        env,
        async (
          preset: string | undefined,
          o: { fromFile?: string; yes?: boolean; dryRun?: boolean },
        ) => {
          const { policyAdd } = await import('../usecases/policy-change.ts');
          const { policyDepsOf } = await import('../usecases/policy-shared.ts');
          return policyAdd(env.ctx(), policyDepsOf(env.world(), sandboxOf(env)), {
            sandbox: sandboxOf(env),
            preset,
            ...o,
          });
        },
      ),
    );
  program
    .command('policy-remove')
    .description('remove a preset or custom policy from the sandbox')
    .argument('<preset>', 'a preset or custom policy name')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--dry-run', 'print the change to the effective policy; change nothing')
    .action(
      action(env, async (name: string, o: { yes?: boolean; dryRun?: boolean }) => {
        const { policyRemove } = await import('../usecases/policy-change.ts');
        const { policyDepsOf } = await import('../usecases/policy-shared.ts');
        return policyRemove(env.ctx(), policyDepsOf(env.world(), sandboxOf(env)), {
          sandbox: sandboxOf(env),
          name,
          ...o,
        });
      }),
    );
  program
    .command('policy-list')
    .description('list presets: applied (●) or not (○)')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { json?: boolean }) => {
        const { policyList } = await import('../usecases/policy-view.ts');
        const { policyDepsOf } = await import('../usecases/policy-shared.ts');
        return policyList(env.ctx(), policyDepsOf(env.world(), sandboxOf(env)), {
          sandbox: sandboxOf(env),
          ...o,
        });
      }),
    );
  program
    .command('policy-get')
    .description('print the effective policy')
    .option('--raw', 'only the YAML, as OpenShell returns it')
    .action(
      action(env, async (o: { raw?: boolean }) => {
        const { policyGet } = await import('../usecases/policy-view.ts');
        const { policyDepsOf } = await import('../usecases/policy-shared.ts');
        return policyGet(env.ctx(), policyDepsOf(env.world(), sandboxOf(env)), {
          sandbox: sandboxOf(env),
          ...o,
        });
      }),
    );
  program
    .command('policy-check')
    .description('explain whether a request is allowed by the effective policy (exit 1 if denied)')
    .argument('<url>', 'e.g. https://api.github.com/repos/o/r')
    .option('--method <method>', 'HTTP method', 'GET')
    .option('--binary <path>', 'the executable making the request, e.g. /usr/bin/curl')
    .option('--json', 'print JSON')
    .action(
      action(env, async (url: string, o: { method?: string; binary?: string; json?: boolean }) => {
        const { policyCheck } = await import('../usecases/policy-view.ts');
        const { policyDepsOf } = await import('../usecases/policy-shared.ts');
        return policyCheck(env.ctx(), policyDepsOf(env.world(), sandboxOf(env)), {
          sandbox: sandboxOf(env),
          url,
          ...o,
        });
      }),
    );
}
