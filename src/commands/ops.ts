/** `nemoclaw <name> status | logs | connect | exec | destroy | recover`. */
import { defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

const session = () => import('../usecases/sandbox-session.ts');

export const OPS: VerbDecl[] = [
  defineVerb({
    name: 'status',
    description: 'the sandbox’s health; exit 1 unless it could be verified healthy',
    help: {
      usage: 'status [--json] [--audit] [--probe]',
      summary: 'phase, uptime, restarts, CPU/memory, GPU, route, presets',
    },
    options: [
      { flags: '--json', description: 'print JSON' },
      {
        flags: '--audit',
        description: "also run the agent's own security audit inside the sandbox",
      },
      {
        flags: '--probe',
        description: 'also send one request through the inference route, from inside the sandbox',
      },
    ],
    load: () => import('../usecases/sandbox-status.ts'),
    run: (m, v: V<{ json?: boolean; audit?: boolean; probe?: boolean }>) =>
      m.sandboxStatus(v.ctx, v.world, { sandbox: v.sandbox, ...v.o }),
  }),
  defineVerb({
    name: 'logs',
    description: 'OpenShell logs of the sandbox: gateway events, sandbox output, policy denials',
    help: {
      usage: 'logs [--follow] [--tail N] [--since D] [--denied]',
      summary: 'gateway and sandbox logs, denials included',
    },
    options: [
      { flags: '-f, --follow', description: 'keep printing new lines until Ctrl-C' },
      { flags: '-n, --tail <n>', description: 'only the last N lines' },
      { flags: '--since <duration>', description: 'only lines newer than this, e.g. 5m, 2h' },
      {
        flags: '--denied',
        description: 'only denied requests, each with the preset or policy that would allow it',
      },
    ],
    load: session,
    run: (m, v: V<{ follow?: boolean; tail?: string; since?: string; denied?: boolean }>) =>
      m.sandboxLogs(v.ctx, v.world, { sandbox: v.sandbox, ...v.o }),
  }),
  defineVerb({
    name: 'connect',
    description:
      'wait for Ready (NEMOCLAW_CONNECT_TIMEOUT, 120 s), ensure the dashboard forward, connect',
    help: {
      usage: 'connect',
      summary: 'wait for Ready, ensure the dashboard forward, open a shell',
    },
    options: [{ flags: '--timeout <seconds>', description: 'how long to wait for Ready' }],
    load: session,
    run: (m, v: V<{ timeout?: string }>) =>
      m.sandboxConnect(v.ctx, v.world, { sandbox: v.sandbox, ...v.o }),
  }),
  defineVerb({
    name: 'exec',
    description: 'run a command in the sandbox (after --); exits with the remote exit code',
    help: {
      usage: 'exec -- CMD…',
      summary: 'run a command in the sandbox; exits with its exit code',
    },
    args: [{ name: '[command...]', description: 'the command and its arguments, after --' }],
    options: [
      { flags: '--workdir <dir>', description: 'working directory in the sandbox' },
      {
        flags: '--timeout <seconds>',
        description: 'stop the command after this many seconds (exit 124)',
      },
    ],
    load: session,
    run: (m, v: V<{ workdir?: string; timeout?: string }, [string[]]>) =>
      m.sandboxExec(v.ctx, v.world, { sandbox: v.sandbox, command: v.args[0], ...v.o }),
  }),
  defineVerb({
    name: 'destroy',
    description: 'delete the sandbox, its forward, its image if unused and its registry entry',
    help: {
      usage: 'destroy [--yes] [--force]',
      summary: 'delete the sandbox (snapshots and gateway are kept)',
    },
    options: [
      { flags: '-y, --yes', description: 'do not ask for confirmation' },
      {
        flags: '--force',
        description: 'go ahead with the gateway down or the sandbox already gone',
      },
      { flags: '--dry-run', description: 'print the plan; change nothing' },
    ],
    load: () => import('../usecases/destroy.ts'),
    run: (m, v: V<{ yes?: boolean; force?: boolean; dryRun?: boolean }>) =>
      m.destroySandbox(v.ctx, v.world, { sandbox: v.sandbox, ...v.o }),
  }),
  defineVerb({
    name: 'recover',
    description: 'bring back the gateway container, the sandbox and its forward (idempotent)',
    help: { usage: 'recover', summary: 'bring back gateway, sandbox and forward after a reboot' },
    options: [{ flags: '--dry-run', description: 'print what would be done; change nothing' }],
    load: () => import('../usecases/recover.ts'),
    run: (m, v: V<{ dryRun?: boolean }>) =>
      m.recoverSandbox(v.ctx, v.world, { sandbox: v.sandbox, ...v.o }),
  }),
];
