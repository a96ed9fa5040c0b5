/**
 * `policy requests | approve | reject | history`: review the requests OpenShell blocked, through
 * its draft-rule inbox (`openshell rule …`, openshell-contract.md §8).
 *
 * An approval is a new revision of the running sandbox's policy, so it lasts as long as that
 * sandbox: a rebuild recreates the sandbox from what the registry records. `--persist` also
 * records the approved rule as a custom policy, which a rebuild applies again.
 */
import type { RuleClient } from '../adapters/openshell/rules.ts';
import type { Confirm } from '../adapters/terminal/confirm.ts';
import type { Context } from '../context.ts';
import { ask, assertCanAsk, consentMode } from '../core/consent.ts';
import { NemoclawError, UsageError } from '../core/errors.ts';
import { formatPlan, type Plan } from '../core/plan.ts';
import type { RuleChunk } from '../core/openshell/rules.ts';
import {
  approvedPolicyName,
  blockedRequests,
  resolveChunkId,
  type BlockedRequest,
} from '../core/policy/requests.ts';
import { parseEffectivePolicy } from '../core/policy/parse.ts';
import type { World } from '../world.ts';
import {
  livePolicyYaml,
  policyDepsOf,
  presetsOf,
  sandboxEntry,
  type PolicyDeps,
} from './policy-shared.ts';

export interface RequestDeps extends Pick<PolicyDeps, 'openshell' | 'presets'> {
  rules: Pick<RuleClient, 'get' | 'approve' | 'reject' | 'history'>;
  confirm: Confirm;
}

/** The requests use cases' view of the world for one sandbox; OpenShell is reached on first use. */
export function requestDepsOf(
  world: Pick<
    World,
    'sandboxClient' | 'sandboxRules' | 'confirm' | 'presets' | 'baseline' | 'files'
  >,
  sandbox: string,
): RequestDeps {
  const rules = () => world.sandboxRules(sandbox);
  return {
    ...policyDepsOf(world, sandbox),
    rules: {
      get: async (...a) => (await rules()).get(...a),
      approve: async (...a) => (await rules()).approve(...a),
      reject: async (...a) => (await rules()).reject(...a),
      history: async (...a) => (await rules()).history(...a),
    },
  };
}

function describe(r: BlockedRequest): string {
  const what = r.method === '*' ? 'any request (connection only)' : `${r.method} ${r.path}`;
  return `${r.binary || '(unknown binary)'} → ${r.host}:${r.port} ${what}`;
}

export async function policyRequests(
  ctx: Context,
  deps: RequestDeps,
  o: { sandbox: string; json?: boolean; all?: boolean },
): Promise<number> {
  await sandboxEntry(ctx, o.sandbox);
  const chunks = await deps.rules.get(o.sandbox, o.all ? undefined : 'pending');
  const requests = blockedRequests(chunks, await presetsOf(deps));
  if (o.json) {
    ctx.ui.json({ schemaVersion: 1, sandbox: o.sandbox, requests });
    return 0;
  }
  if (requests.length === 0) {
    ctx.ui.info(`No ${o.all ? '' : 'pending '}blocked requests for sandbox ${o.sandbox}.`);
    return 0;
  }
  for (const r of requests) {
    ctx.ui.out(`${r.id}  ${r.status}  ${describe(r)}${r.hits > 1 ? `  (${r.hits} hits)` : ''}`);
    if (r.coveredBy.length > 0) {
      ctx.ui.out(
        `    covered by preset ${r.coveredBy.join(', ')}: nemoclaw ${o.sandbox} policy-add ${r.coveredBy[0]}`,
      );
    }
    if (r.security) ctx.ui.out(`    security: ${r.security}`);
  }
  ctx.ui.info(
    `Approve with \`nemoclaw ${o.sandbox} policy approve <id>\` (add --persist to keep it across rebuilds), or reject with \`policy reject <id>\`.`,
  );
  return 0;
}

async function findChunk(deps: RequestDeps, sandbox: string, given: string): Promise<RuleChunk> {
  const chunks = await deps.rules.get(sandbox);
  const r = resolveChunkId(chunks, given);
  if ('id' in r) return chunks.find((c) => c.id === r.id)!;
  if (r.error === 'ambiguous') {
    throw new UsageError(`"${given}" matches more than one request: ${r.matches.join(', ')}.`, {
      hint: 'Give more characters of the id.',
    });
  }
  throw new NemoclawError('not-found', `No blocked request ${given} for sandbox ${sandbox}.`, {
    hint: `See the pending ones with \`nemoclaw ${sandbox} policy requests\`.`,
  });
}

export async function policyApprove(
  ctx: Context,
  deps: RequestDeps,
  o: { sandbox: string; id: string; yes?: boolean; persist?: boolean; dryRun?: boolean },
): Promise<number> {
  const consent = {
    yes: o.yes,
    dryRun: o.dryRun,
    env: ctx.env,
    stdinIsTTY: ctx.ui.stdinIsTTY,
    retry: `nemoclaw ${o.sandbox} policy approve ${o.id}`,
  };
  assertCanAsk('policy approve widens the sandbox policy', consent);
  await sandboxEntry(ctx, o.sandbox);
  const chunk = await findChunk(deps, o.sandbox, o.id);
  if (chunk.status !== 'pending' && chunk.status !== 'rejected') {
    throw new NemoclawError('conflict', `Request ${chunk.id} is already ${chunk.status}.`, {
      hint: `See \`nemoclaw ${o.sandbox} policy history\`.`,
    });
  }
  const reqs = blockedRequests([chunk], await presetsOf(deps));
  const plan: Plan = {
    title: `approve blocked request ${chunk.id} for sandbox ${o.sandbox}`,
    steps: [
      {
        kind: 'openshell.rule.approve',
        target: o.sandbox,
        cause: reqs.map(describe).join('; '),
        args: { chunkId: chunk.id, rule: chunk.rule },
      },
    ],
  };
  if (o.persist) {
    plan.steps.push({
      kind: 'registry.entry.update',
      target: o.sandbox,
      cause: 'keep the approved rule across rebuilds',
      args: { customPolicy: approvedPolicyName(chunk.rule) },
    });
  }
  const { noteAuditPlan } = await import('./audit.ts');
  noteAuditPlan(plan);
  const covered = reqs.flatMap((r) => r.coveredBy);
  if (covered.length > 0) {
    ctx.ui.info(
      `Note: preset ${[...new Set(covered)].join(', ')} already allows this; \`policy-add\` is the reviewed alternative.`,
    );
  }
  if (chunk.security) ctx.ui.warn(`Security: ${chunk.security}`);
  if (o.dryRun) {
    ctx.ui.out(formatPlan(plan));
    ctx.ui.info('Dry run: nothing was changed.');
    return 0;
  }
  if (consentMode(consent) === 'ask') ctx.ui.info(formatPlan(plan));
  if (
    !(await ask(`Allow ${reqs.map(describe).join('; ')}?`, { ...consent, confirm: deps.confirm }))
  ) {
    ctx.ui.info('Nothing was changed.');
    return 1;
  }
  const r = await deps.rules.approve(o.sandbox, chunk.id);
  const v = r.version !== undefined ? ` (policy version ${r.version})` : '';
  ctx.ui.info(
    `✓ Approved ${chunk.rule} for sandbox ${o.sandbox}${v}; it lasts until the sandbox is rebuilt.`,
  );
  if (o.persist) {
    const name = await persist(ctx, deps, o.sandbox, chunk.rule);
    ctx.ui.info(
      `✓ Recorded it as custom policy ${name}; rebuilds apply it again (remove with \`policy-remove ${name}\`).`,
    );
  }
  return 0;
}

/** Records the approved rule, as the live policy now has it, as a custom policy. */
async function persist(
  ctx: Context,
  deps: RequestDeps,
  sandbox: string,
  rule: string,
): Promise<string> {
  const live = parseEffectivePolicy(
    await livePolicyYaml(deps, sandbox),
    `the live policy of sandbox ${sandbox}`,
  );
  const entry = live.networkPolicies[rule];
  if (!entry) {
    throw new NemoclawError(
      'failed',
      `The approved rule ${rule} is not in the live policy of sandbox ${sandbox}.`,
      {
        hint: `Check \`nemoclaw ${sandbox} policy-get\`; the approval itself went through.`,
      },
    );
  }
  const { stringify } = await import('yaml');
  const name = approvedPolicyName(rule);
  const description = `Blocked request approved with policy approve --persist on ${ctx.now().toISOString().slice(0, 10)}`;
  const content = stringify({ preset: { name, description }, network_policies: { [rule]: entry } });
  await ctx.registry().update((reg) => {
    const e = reg.sandboxes[sandbox];
    if (!e) return undefined;
    const rest = e.customPolicies.filter((c) => c.name !== name);
    const customPolicies = [...rest, { name, content }];
    return {
      ...reg,
      sandboxes: {
        ...reg.sandboxes,
        [sandbox]: { ...e, customPolicies, updatedAt: ctx.now().toISOString() },
      },
    };
  });
  return name;
}

export async function policyReject(
  ctx: Context,
  deps: RequestDeps,
  o: { sandbox: string; id: string; reason?: string },
): Promise<number> {
  await sandboxEntry(ctx, o.sandbox);
  const chunk = await findChunk(deps, o.sandbox, o.id);
  if (chunk.status === 'rejected') {
    ctx.ui.info(`Request ${chunk.id} is already rejected; nothing to change.`);
    return 0;
  }
  await deps.rules.reject(o.sandbox, chunk.id, o.reason);
  const was = chunk.status === 'approved' ? ' and removed the rule it had added' : '';
  ctx.ui.info(`✓ Rejected ${chunk.rule} for sandbox ${o.sandbox}${was}.`);
  return 0;
}

export async function policyHistory(
  ctx: Context,
  deps: RequestDeps,
  o: { sandbox: string; json?: boolean },
): Promise<number> {
  await sandboxEntry(ctx, o.sandbox);
  const entries = await deps.rules.history(o.sandbox);
  if (o.json) {
    ctx.ui.json({ schemaVersion: 1, sandbox: o.sandbox, entries });
    return 0;
  }
  if (entries.length === 0) ctx.ui.info(`No rule history for sandbox ${o.sandbox}.`);
  for (const e of entries)
    ctx.ui.out(`${e.when.padEnd(9)} ${e.event.padEnd(9)} ${e.chunk}  ${e.description}`);
  return 0;
}
