/**
 * Per-sandbox verbs (`nemoclaw <name> <verb>`). Each area adds its registrar to SANDBOX_REGISTRARS
 * and its rows to SANDBOX_VERBS (the root help lists them; a test keeps the two in step).
 */
import type { Command } from 'commander';
import { EXTEND_VERBS, registerExtend } from './extend.ts';
import { OPS_VERBS, registerOps } from './ops.ts';
import { POLICY_VERBS, registerPolicy } from './policy.ts';
import { POLICY_REQUEST_VERBS, registerPolicyRequests } from './policy-requests.ts';
import type { CommandEnv, Register } from './types.ts';
import { registerSnapshot } from './snapshot.ts';
import { registerSessions, SESSIONS_VERBS } from './sessions.ts';
import { REBUILD_VERBS, registerRebuild } from './rebuild.ts';
import { LIFECYCLE_VERBS, registerLifecycle } from './lifecycle.ts';

export interface VerbSummary {
  usage: string;
  summary: string;
}

export const SANDBOX_VERBS: VerbSummary[] = [
  ...OPS_VERBS,
  ...POLICY_VERBS,
  ...POLICY_REQUEST_VERBS,
  {
    usage: 'snapshot <create|list|restore|…>',
    summary: "save, verify and restore the agent's memory",
  },
  ...REBUILD_VERBS,
  ...SESSIONS_VERBS,
  ...LIFECYCLE_VERBS,
  ...EXTEND_VERBS,
];

const SANDBOX_REGISTRARS: Register[] = [
  registerOps,
  registerPolicy,
  registerPolicyRequests,
  registerSnapshot,
  registerSessions,
  registerRebuild,
  registerLifecycle,
  registerExtend,
];

export function registerSandboxVerbs(program: Command, env: CommandEnv): void {
  for (const register of SANDBOX_REGISTRARS) register(program, env);
}
