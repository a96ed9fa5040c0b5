/** `nemoclaw <name> policy requests | approve <id> | reject <id> | history`. */
import type { Command } from 'commander';
import { action, type CommandEnv } from './types.ts';

export const POLICY_REQUEST_VERBS = [
  {
    usage: 'policy <requests|approve|reject|history>',
    summary: 'review requests the sandbox blocked; approve or reject them',
  },
];

export function registerPolicyRequests(program: Command, env: CommandEnv): void {
  const sandbox = () => env.sandboxName!;
  const policy = program
    .command('policy')
    .description('review requests the sandbox blocked: requests, approve, reject, history');
  policy
    .command('requests')
    .description('list the requests OpenShell blocked that await review')
    .option('--all', 'also approved and rejected ones')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { json?: boolean; all?: boolean }) => {
        const { policyRequests, requestDepsOf } = await import('../usecases/policy-requests.ts');
        return policyRequests(env.ctx(), requestDepsOf(env.world(), sandbox()), {
          sandbox: sandbox(),
          ...o,
        });
      }),
    );
  policy
    .command('approve')
    .description(
      'allow a blocked request for this sandbox (until it is rebuilt, or with --persist for good)',
    )
    .argument('<id>', 'the request id (or a unique prefix) from `policy requests`')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--persist', 'also record it as a custom policy that a rebuild applies again')
    .option('--dry-run', 'print the plan; change nothing')
    .action(
      action(env, async (id: string, o: { yes?: boolean; persist?: boolean; dryRun?: boolean }) => {
        const { policyApprove, requestDepsOf } = await import('../usecases/policy-requests.ts');
        return policyApprove(env.ctx(), requestDepsOf(env.world(), sandbox()), {
          sandbox: sandbox(),
          id,
          ...o,
        });
      }),
    );
  policy
    .command('reject')
    .description('reject a blocked request (an approved one is removed from the policy)')
    .argument('<id>', 'the request id (or a unique prefix)')
    .option('--reason <text>', 'why; OpenShell passes it back to the agent')
    .action(
      action(env, async (id: string, o: { reason?: string }) => {
        const { policyReject, requestDepsOf } = await import('../usecases/policy-requests.ts');
        return policyReject(env.ctx(), requestDepsOf(env.world(), sandbox()), {
          sandbox: sandbox(),
          id,
          ...o,
        });
      }),
    );
  policy
    .command('history')
    .description('proposals, approvals and rejections for this sandbox')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { json?: boolean }) => {
        const { policyHistory, requestDepsOf } = await import('../usecases/policy-requests.ts');
        return policyHistory(env.ctx(), requestDepsOf(env.world(), sandbox()), {
          sandbox: sandbox(),
          ...o,
        });
      }),
    );
}
