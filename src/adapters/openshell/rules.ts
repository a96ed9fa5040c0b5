/**
 * `openshell rule get|approve|reject|history` (v0.0.111; the `rule` group is hidden from help).
 * The sandbox name is given explicitly: the CLI would otherwise use its last-used sandbox.
 */
import type { Logger } from '../log.ts';
import type { OpenshellCall } from '../../core/openshell/argv.ts';
import {
  parseRuleApprove,
  parseRuleGet,
  parseRuleHistory,
  type RuleChunk,
  type RuleHistoryEntry,
} from '../../core/openshell/rules.ts';
import { createRunner, type Env } from './run.ts';

export interface RuleClient {
  get(sandbox: string, status?: 'pending' | 'approved' | 'rejected'): Promise<RuleChunk[]>;
  approve(sandbox: string, chunkId: string): Promise<{ version?: number; hash?: string }>;
  reject(sandbox: string, chunkId: string, reason?: string): Promise<void>;
  history(sandbox: string): Promise<RuleHistoryEntry[]>;
}

export function ruleCall(verb: string, sandbox: string, ...args: string[]): OpenshellCall {
  return { verb: ['rule', verb], args: [sandbox, ...args] };
}

export function createRuleClient(o: {
  gateway: string;
  workspace?: string;
  env: Env;
  log?: Logger;
}): RuleClient {
  const runner = createRunner(o);
  const call = async (c: OpenshellCall) => runner.check(c, await runner.run(c)).stdout;
  return {
    async get(sandbox, status) {
      return parseRuleGet(
        await call(ruleCall('get', sandbox, ...(status ? ['--status', status] : []))),
      );
    },
    async approve(sandbox, chunkId) {
      return parseRuleApprove(await call(ruleCall('approve', sandbox, '--chunk-id', chunkId)));
    },
    async reject(sandbox, chunkId, reason) {
      const extra = reason ? ['--reason', reason] : [];
      await call(ruleCall('reject', sandbox, '--chunk-id', chunkId, ...extra));
    },
    async history(sandbox) {
      return parseRuleHistory(await call(ruleCall('history', sandbox)));
    },
  };
}
