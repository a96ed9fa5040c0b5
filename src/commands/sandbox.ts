/**
 * Per-sandbox verbs (`nemoclaw <name> <verb>`): each area declares its verbs (commands/verb.ts) and
 * adds them here; the root help's rows come from the same declarations.
 */
import { Command } from 'commander';
import { withGlobalFlags } from './global-flags.ts';
import type { MainIo } from '../main-io.ts';
import { CHANNELS } from './channels.ts';
import { SANDBOX_INFERENCE } from './inference.ts';
import { LIFECYCLE } from './lifecycle.ts';
import { OPS } from './ops.ts';
import { POLICY } from './policy.ts';
import { POLICY_REQUESTS } from './policy-requests.ts';
import { REBUILD } from './rebuild.ts';
import { SESSIONS } from './sessions.ts';
import { SKILL } from './skill.ts';
import { SNAPSHOT } from './snapshot.ts';
import type { CommandEnv, VerbSummary } from './types.ts';
import { attachAll, helpRows } from './verb.ts';

/** In the order `nemoclaw <name> --help` lists them. */
const SANDBOX_DECLS = [
  ...OPS,
  ...POLICY,
  ...POLICY_REQUESTS,
  ...SNAPSHOT,
  ...SESSIONS,
  ...REBUILD,
  ...LIFECYCLE,
  ...CHANNELS,
  ...SKILL,
  ...SANDBOX_INFERENCE,
];

/** In the order the root help lists them. */
export const SANDBOX_VERBS: VerbSummary[] = helpRows([
  ...OPS,
  ...POLICY,
  ...POLICY_REQUESTS,
  ...SNAPSHOT,
  ...REBUILD,
  ...SESSIONS,
  ...LIFECYCLE,
  ...CHANNELS,
  ...SKILL,
  ...SANDBOX_INFERENCE,
]);

export function registerSandboxVerbs(program: Command, env: CommandEnv): void {
  attachAll(program, env, SANDBOX_DECLS);
}

/** `nemoclaw <name> …`: the sandbox's own program, with the same global flags as the root. */
export function buildSandboxProgram(io: MainIo, env: CommandEnv, name: string): Command {
  const program = new Command(`nemoclaw ${name}`);
  withGlobalFlags(program.description(`Operate the sandbox "${name}".`), io);
  registerSandboxVerbs(program, env);
  return program;
}
