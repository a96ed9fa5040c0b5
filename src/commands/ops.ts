/** `nemoclaw <name> status | logs | connect | exec | destroy | recover`. */
import type { Command } from 'commander';
import { action, type CommandEnv } from './types.ts';

export const OPS_VERBS = [
  {
    usage: 'status [--json] [--audit] [--probe]',
    summary: 'phase, uptime, restarts, CPU/memory, GPU, route, presets',
  },
  {
    usage: 'logs [--follow] [--tail N] [--since D] [--denied]',
    summary: 'gateway and sandbox logs, denials included',
  },
  { usage: 'connect', summary: 'wait for Ready, ensure the dashboard forward, open a shell' },
  { usage: 'exec -- CMD…', summary: 'run a command in the sandbox; exits with its exit code' },
  {
    usage: 'destroy [--yes] [--force]',
    summary: 'delete the sandbox (snapshots and gateway are kept)',
  },
  { usage: 'recover', summary: 'bring back gateway, sandbox and forward after a reboot' },
];

export function registerOps(program: Command, env: CommandEnv): void {
  const sandbox = () => env.sandboxName!;
  program
    .command('status')
    .description('the sandbox’s health; exit 1 unless it could be verified healthy')
    .option('--json', 'print JSON')
    .option('--audit', "also run the agent's own security audit inside the sandbox")
    .option('--probe', 'also send one request through the inference route, from inside the sandbox')
    .action(
      action(env, async (o: { json?: boolean; audit?: boolean; probe?: boolean }) => {
        const ctx = env.ctx();
        const { sandboxStatus } = await import('../usecases/sandbox-status.ts');
        return sandboxStatus(ctx, env.world(), { sandbox: sandbox(), ...o });
      }),
    );
  program
    .command('logs')
    .description('OpenShell logs of the sandbox: gateway events, sandbox output, policy denials')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .option('-n, --tail <n>', 'only the last N lines')
    .option('--since <duration>', 'only lines newer than this, e.g. 5m, 2h')
    .option('--denied', 'only denied requests, each with the preset or policy that would allow it')
    .action(
      action(
        env,
        async (o: { follow?: boolean; tail?: string; since?: string; denied?: boolean }) => {
          const ctx = env.ctx();
          const { sandboxLogs } = await import('../usecases/sandbox-session.ts');
          return sandboxLogs(ctx, env.world(), { sandbox: sandbox(), ...o });
        },
      ),
    );
  program
    .command('connect')
    .description(
      'wait for Ready (NEMOCLAW_CONNECT_TIMEOUT, 120 s), ensure the dashboard forward, connect',
    )
    .option('--timeout <seconds>', 'how long to wait for Ready')
    .action(
      action(env, async (o: { timeout?: string }) => {
        const ctx = env.ctx();
        const { sandboxConnect } = await import('../usecases/sandbox-session.ts');
        return sandboxConnect(ctx, env.world(), { sandbox: sandbox(), ...o });
      }),
    );
  program
    .command('exec')
    .description('run a command in the sandbox (after --); exits with the remote exit code')
    .argument('[command...]', 'the command and its arguments, after --')
    .option('--workdir <dir>', 'working directory in the sandbox')
    .option('--timeout <seconds>', 'stop the command after this many seconds (exit 124)')
    .action(
      action(env, async (command: string[], o: { workdir?: string; timeout?: string }) => {
        const ctx = env.ctx();
        const { sandboxExec } = await import('../usecases/sandbox-session.ts');
        return sandboxExec(ctx, env.world(), { sandbox: sandbox(), command, ...o });
      }),
    );
  program
    .command('destroy')
    .description('delete the sandbox, its forward, its image if unused and its registry entry')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--force', 'go ahead with the gateway down or the sandbox already gone')
    .option('--dry-run', 'print the plan; change nothing')
    .action(
      action(env, async (o: { yes?: boolean; force?: boolean; dryRun?: boolean }) => {
        const ctx = env.ctx();
        const { destroySandbox } = await import('../usecases/destroy.ts');
        return destroySandbox(ctx, env.world(), { sandbox: sandbox(), ...o });
      }),
    );
  program
    .command('recover')
    .description('bring back the gateway container, the sandbox and its forward (idempotent)')
    .option('--dry-run', 'print what would be done; change nothing')
    .action(
      action(env, async (o: { dryRun?: boolean }) => {
        const ctx = env.ctx();
        const { recoverSandbox } = await import('../usecases/recover.ts');
        return recoverSandbox(ctx, env.world(), { sandbox: sandbox(), ...o });
      }),
    );
}
