/**
 * Commands as declarations (issue 17): a verb names its arguments and typed options, the use case
 * module it loads, and how it calls it. One action body serves them all: it builds nothing before
 * commander has parsed the flags, loads the module lazily, and turns a returned number into the
 * exit code. The per-sandbox rows of the root help come from the same declarations (`help`).
 */
import { Argument, Option, type Command } from 'commander';
import type { Context } from '../context.ts';
import type { World } from '../world.ts';
import type { CommandEnv, VerbSummary } from './types.ts';

export interface ArgSpec {
  /** Commander syntax: `<id>`, `[selector]`, `[names...]`. */
  name: string;
  description?: string;
  choices?: readonly string[];
}

export interface OptionSpec {
  /** Commander syntax: `-y, --yes`, `--tail <n>`, `--no-verify`. */
  flags: string;
  description: string;
  default?: string | boolean;
  required?: boolean;
  choices?: readonly string[];
  hidden?: boolean;
}

/** What a verb's `run` receives. */
export interface Invocation<O, A extends unknown[] = []> {
  ctx: Context;
  world: World;
  /** The sandbox of `nemoclaw <name> <verb>` (empty for a global command). */
  sandbox: string;
  args: A;
  o: O;
}

export interface VerbDecl {
  readonly name: string;
  /** A row of the root help's sandbox verbs (per-sandbox declarations only). */
  readonly help?: VerbSummary;
  attach(parent: Command, env: CommandEnv): Command;
}

export interface VerbSpec<M, O, A extends unknown[]> {
  name: string;
  description: string;
  args?: ArgSpec[];
  options?: OptionSpec[];
  help?: VerbSummary;
  /** Text after the option list in `--help`. */
  helpAfter?: string;
  hidden?: boolean;
  load(): Promise<M>;
  run(m: M, v: Invocation<O, A>): Promise<number | void> | number | void;
}

/** Declares a verb whose options are `O` and positional arguments `A`. */
export function defineVerb<M, O = Record<string, never>, A extends unknown[] = []>(
  spec: VerbSpec<M, O, A>,
): VerbDecl {
  return {
    name: spec.name,
    help: spec.help,
    attach(parent, env) {
      const cmd = parent
        .command(spec.name, spec.hidden ? { hidden: true } : undefined)
        .description(spec.description);
      for (const a of spec.args ?? []) {
        const arg = new Argument(a.name, a.description);
        cmd.addArgument(a.choices ? arg.choices([...a.choices]) : arg);
      }
      for (const s of spec.options ?? []) {
        const opt = new Option(s.flags, s.description);
        if (s.default !== undefined) opt.default(s.default);
        if (s.required) opt.makeOptionMandatory();
        if (s.choices) opt.choices([...s.choices]);
        if (s.hidden) opt.hideHelp();
        cmd.addOption(opt);
      }
      if (spec.helpAfter) cmd.addHelpText('after', spec.helpAfter);
      cmd.action(async (...all: unknown[]) => {
        const self = all[all.length - 1] as Command;
        const args = all.slice(0, spec.args?.length ?? 0) as A;
        const m = await spec.load();
        const code = await spec.run(m, {
          ctx: env.ctx(),
          world: env.world(),
          sandbox: env.sandboxName ?? '',
          args,
          o: self.opts() as O,
        });
        if (typeof code === 'number') env.setExitCode(code);
      });
      return cmd;
    },
  };
}

/** A command whose only job is to hold verbs (`snapshot`, `channels`, `policy`, …). */
export function defineGroup(spec: {
  name: string;
  description: string;
  help?: VerbSummary;
  verbs: VerbDecl[];
}): VerbDecl {
  return {
    name: spec.name,
    help: spec.help,
    attach(parent, env) {
      const group = parent.command(spec.name).description(spec.description);
      for (const v of spec.verbs) v.attach(group, env);
      return group;
    },
  };
}

export function attachAll(parent: Command, env: CommandEnv, decls: readonly VerbDecl[]): void {
  for (const d of decls) d.attach(parent, env);
}

/** The root help rows of these declarations. */
export function helpRows(decls: readonly VerbDecl[]): VerbSummary[] {
  return decls.flatMap((d) => (d.help ? [d.help] : []));
}
