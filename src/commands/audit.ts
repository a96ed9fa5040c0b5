/** `nemoclaw audit show [--since] [--json]` and `nemoclaw audit verify`. */
import type { Command } from 'commander';
import { action, type CommandEnv } from './types.ts';

export function registerAudit(program: Command, env: CommandEnv): void {
  const audit = program
    .command('audit')
    .description('the operator audit trail: who changed what, tamper-evident');
  audit
    .command('show')
    .description('list audit records')
    .option('--since <when>', 'only records since an ISO date or a duration (30m, 12h, 7d)')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { since?: string; json?: boolean }) => {
        const { auditShow } = await import('../usecases/audit.ts');
        return auditShow(env.ctx(), o);
      }),
    );
  audit
    .command('verify')
    .description('check the hash chain; names the first record that breaks it (exit 1)')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { json?: boolean }) => {
        const { auditVerify } = await import('../usecases/audit.ts');
        return auditVerify(env.ctx(), o);
      }),
    );
}
