/** What a command declaration receives: a lazy context and world and, for sandbox verbs, the sandbox name. */
import type { Command } from 'commander';
import type { Context } from '../context.ts';
import type { World } from '../world.ts';

export interface CommandEnv {
  /** Built on first use, after commander has parsed the global flags. */
  ctx(): Context;
  /** Built on first use (src/main.ts `createWorld`). */
  world(): World;
  /** Set by `nemoclaw <name> <verb>` routing. */
  sandboxName?: string;
  /** An action that returns a number sets the exit code. */
  setExitCode(code: number): void;
}

export type Register = (program: Command, env: CommandEnv) => void;

/** A row of the per-sandbox verbs in the root help. */
export interface VerbSummary {
  usage: string;
  summary: string;
}

/** Wraps an action so that a returned number becomes the exit code. */
export function action<A extends unknown[]>(
  env: CommandEnv,
  fn: (...args: A) => Promise<number | void> | number | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const code = await fn(...args);
    if (typeof code === 'number') env.setExitCode(code);
  };
}
