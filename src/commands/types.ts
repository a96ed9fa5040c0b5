/** What a command declaration receives: a lazy context and, for sandbox verbs, the sandbox name. */
import type { Command } from 'commander';
import type { Context } from '../context.ts';

export interface CommandEnv {
  ctx(): Context;
  /** Set by `nemoclaw <name> <verb>` routing. */
  sandboxName?: string;
  /** An action that returns a number sets the exit code. */
  setExitCode(code: number): void;
}

export type Register = (program: Command, env: CommandEnv) => void;

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
