/**
 * The commander program: global commands, and `nemoclaw <name> <verb>` for per-sandbox commands.
 * Declarations only; every action lazily imports its use case.
 */
import { Command, CommanderError, Option } from 'commander';
import { resolveHome, statePaths } from './adapters/state/paths.ts';
import { registryStore } from './adapters/state/registry-store.ts';
import type { Context } from './context.ts';
import { ExitCode, NemoclawError, UsageError } from './core/errors.ts';
import { commanderUsageError, errorJson, jsonRequested } from './core/error-report.ts';
import { withGlobalFlags } from './commands/global-flags.ts';
import { didYouMean, RESERVED_NAMES } from './core/names.ts';
import type { MainIo } from './main-io.ts';
import type { World } from './world.ts';
import { VERSION } from './version.ts';
import type { CommandEnv, Register } from './commands/types.ts';
import { AUDIT } from './commands/audit.ts';
import { BLUEPRINT } from './commands/blueprint.ts';
import { registerCompletion } from './commands/completion.ts';
import { FLEET } from './commands/fleet.ts';
import { LIFECYCLE_GLOBAL, UPGRADE_AND_PROFILES } from './commands/lifecycle.ts';
import { LIST } from './commands/list.ts';
import { ONBOARD } from './commands/onboard.ts';
import { buildSandboxProgram, SANDBOX_VERBS } from './commands/sandbox.ts';
import { SETTINGS } from './commands/settings.ts';
import { BACKUP_ALL } from './commands/snapshot.ts';
import { GLOBAL_OPS } from './commands/status.ts';
import { TOOLING } from './commands/tooling.ts';
import { attachAll, type VerbDecl } from './commands/verb.ts';

export { buildSandboxProgram } from './commands/sandbox.ts';

export interface GlobalFlags {
  quiet: boolean;
  verbose: boolean;
  color: boolean;
}

/** The global commands, in the order `nemoclaw --help` lists them; each area adds its line here. */
const GLOBAL: (VerbDecl | VerbDecl[] | Register)[] = [
  ONBOARD,
  LIST,
  GLOBAL_OPS,
  SETTINGS,
  BLUEPRINT,
  BACKUP_ALL,
  TOOLING,
  registerCompletion,
  AUDIT,
  FLEET,
  LIFECYCLE_GLOBAL,
  UPGRADE_AND_PROFILES,
];

const SANDBOX_HELP = `
Sandbox commands (nemoclaw <name> <verb>; run \`nemoclaw <name> --help\` for details):
${SANDBOX_VERBS.map((v) => `  <name> ${v.usage.padEnd(38)} ${v.summary}`).join('\n')}`;

export function buildProgram(io: MainIo, env: CommandEnv): Command {
  const program = new Command('nemoclaw');
  program
    .description('Onboard AI agents into NVIDIA OpenShell sandboxes and operate them day to day.')
    .version(`nemoclaw v${VERSION}`, '-V, --version', 'print the version');
  withGlobalFlags(program, io)
    .addOption(
      new Option('--agent <agent>', 'the agent for onboard')
        .choices(['openclaw', 'hermes'])
        .hideHelp(),
    )
    .helpCommand('help [command]', 'show help for a command');
  for (const g of GLOBAL) {
    if (typeof g === 'function') g(program, env);
    else attachAll(program, env, Array.isArray(g) ? g : [g]);
  }
  program.addHelpText('after', SANDBOX_HELP);
  return program;
}

/** The first argument that is not an option: the command, or a sandbox name. */
function firstWord(argv: string[]): string | undefined {
  for (const a of argv) {
    if (a === '--') return undefined;
    if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/**
 * Runs the program. The context is built on first use, after commander has parsed the global
 * flags (which may come before or after the sandbox name and the verb); routing reads only the
 * registry's names.
 */
export async function runProgram(
  io: MainIo,
  makeCtx: (flags: GlobalFlags) => Context,
  makeWorld: (ctx: Context) => World,
): Promise<number> {
  let exitCode: number = ExitCode.ok;
  let ctx: Context | undefined;
  let world: World | undefined;
  let program: Command | undefined;
  const env: CommandEnv = {
    world: () => (world ??= makeWorld(env.ctx())),
    ctx: () => {
      if (!ctx) {
        const o = (program?.opts() ?? {}) as {
          quiet?: boolean;
          verbose?: boolean;
          color?: boolean;
        };
        ctx = makeCtx({
          quiet: Boolean(o.quiet),
          verbose: Boolean(o.verbose),
          color: o.color !== false,
        });
      }
      return ctx;
    },
    setExitCode: (c) => {
      exitCode = c;
    },
  };

  const word = firstWord(io.argv);
  const root = buildProgram(io, env);
  const globalNames = new Set(
    root.commands.flatMap((c) => [c.name(), ...c.aliases()]).concat(['help']),
  );
  let argv = io.argv;
  if (word !== undefined && !globalNames.has(word)) {
    const registry = await registryStore(statePaths(resolveHome(io.env)).registry).read();
    const names = Object.keys(registry.sandboxes);
    if (names.includes(word)) {
      env.sandboxName = word;
      program = buildSandboxProgram(io, env, word);
      const i = argv.indexOf(word);
      argv = [...argv.slice(0, i), ...argv.slice(i + 1)];
    } else {
      const cmd = didYouMean(word, globalNames);
      const sb = didYouMean(word, names);
      const hint =
        cmd !== undefined
          ? `Did you mean \`nemoclaw ${cmd}\`?`
          : sb !== undefined
            ? `Did you mean the sandbox \`${sb}\`?`
            : names.length > 0
              ? `Registered sandboxes: ${names.sort().join(', ')}. Commands: nemoclaw --help`
              : 'No sandboxes are registered yet; run `nemoclaw onboard`. Commands: nemoclaw --help';
      const what = RESERVED_NAMES.has(word)
        ? `"${word}" is not available in this version`
        : `Unknown command or sandbox "${word}"`;
      throw new UsageError(`${what}.`, { hint });
    }
  } else {
    program = root;
  }

  // The audit trail: one record per command that ran an action (commands/audit hook, issue 16).
  let invoked: Command | undefined;
  let trailExisted = false;
  program.hook('preAction', async (_root, actionCommand) => {
    invoked = actionCommand;
    trailExisted = (await import('./usecases/audit.ts')).auditTrailExists(env.ctx());
  });
  const audit = async (result: { exitCode: number; error?: string }) => {
    if (!invoked) return;
    const { auditCommand } = await import('./usecases/audit.ts');
    const inv = invocationOf(invoked, env.sandboxName, io.argv);
    await auditCommand(env.ctx(), env.world(), { ...inv, trailExisted }, result);
  };
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) {
      const code = e instanceof NemoclawError ? e.exitCode : ExitCode.failure;
      await audit({ exitCode: code, error: e instanceof Error ? e.message : String(e) });
    }
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      ) {
        return ExitCode.ok;
      }
      // Without --json commander has already printed its message (with "Did you mean" where one
      // fits); with it, the message was held back and goes out in the JSON error shape.
      if (jsonRequested(io.argv)) io.stderr.write(errorJson(commanderUsageError(e.message)).line);
      return ExitCode.usage;
    }
    throw e;
  }
  await audit({ exitCode });
  return exitCode;
}

function invocationOf(cmd: Command, sandbox: string | undefined, argv: string[]) {
  const path: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) path.unshift(c.name());
  return { path, sandbox, args: cmd.processedArgs, opts: cmd.opts(), argv };
}
