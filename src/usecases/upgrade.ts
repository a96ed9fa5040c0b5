/**
 * `upgrade-sandboxes [--check] [--yes] [--dry-run]` (issue 15): every registered sandbox whose
 * blueprint, base image or agent version is behind the newest packaged blueprint, and why. Each is
 * rebuilt onto it in turn, as the journaled rebuild transaction (an interrupted one is resumed).
 * Sandboxes made from a blueprint folder or URL are listed but left to `rebuild --blueprint`.
 */
import type { Context } from '../context.ts';
import { stalenessReasons } from '../core/blueprint/diff.ts';
import { ask, assertCanAsk } from '../core/consent.ts';
import { NemoclawError } from '../core/errors.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import type { OpsWorld } from '../world.ts';
import { orWarn } from './unobserved.ts';
import { policyFilesOf } from './policy-shared.ts';

export interface UpgradeCandidate {
  name: string;
  from: string;
  reasons: string[];
  /** An interrupted rebuild: it is resumed rather than started. */
  resume: boolean;
  /** Why it is not upgraded here, when it is not. */
  skip?: string;
}

export async function upgradeCandidates(
  ctx: Context,
  world: Pick<OpsWorld, 'blueprints'>,
): Promise<{ newest: string; list: UpgradeCandidate[] }> {
  const { listPackagedVersions } = await world.blueprints();
  const { verifiedBlueprintOf, entryBlueprintSpec } = await import('./rebuild-steps.ts');
  const { readJournal } = await import('./rebuild.ts');
  const newest = (await listPackagedVersions(ctx.packageRoot)).at(-1)!;
  const nbp = await verifiedBlueprintOf(ctx, { spec: newest });
  const reg = await ctx.registry().read();
  const list: UpgradeCandidate[] = [];
  for (const e of Object.values(reg.sandboxes).sort((a, b) => a.name.localeCompare(b.name))) {
    const j = await orWarn(
      ctx,
      {
        id: `rebuild.journal.${e.name}`,
        what: `read the rebuild journal of ${e.name}`,
        consequence:
          'whether a rebuild of it was interrupted is unknown; its rebuild refuses until the journal is fixed or moved aside',
      },
      readJournal(ctx, e.name),
      undefined,
    );
    const resume = Boolean(j && !j.completedAt);
    if (e.blueprintSource) {
      list.push({
        name: e.name,
        from: e.blueprintVersion,
        reasons: [],
        resume: false,
        skip: `made from ${e.blueprintSource}; upgrade it with: nemoclaw ${e.name} rebuild --blueprint <ref>`,
      });
      continue;
    }
    const cur = await orWarn(
      ctx,
      {
        id: `blueprint.${e.name}`,
        what: `verify the blueprint ${e.name} was built from`,
        consequence: 'what changes since then is unknown',
      },
      verifiedBlueprintOf(ctx, entryBlueprintSpec(e)),
      undefined,
    );
    const reasons = stalenessReasons(e, cur?.blueprint, nbp);
    if (resume) reasons.unshift('an interrupted rebuild is resumed');
    list.push({ name: e.name, from: e.blueprintVersion, reasons, resume });
  }
  return { newest, list };
}

export async function upgradeSandboxes(
  ctx: Context,
  deps: OpsWorld,
  o: { check?: boolean; yes?: boolean; dryRun?: boolean },
): Promise<number> {
  const { newest, list } = await upgradeCandidates(ctx, deps);
  const todo = list.filter((c) => !c.skip && c.reasons.length > 0);
  if (list.length === 0) {
    ctx.ui.out('No sandboxes are registered.');
    return 0;
  }
  ctx.ui.out(`Newest packaged blueprint: ${newest}`);
  for (const c of list) {
    const why = c.skip ?? (c.reasons.length ? c.reasons.join('; ') : 'up to date');
    ctx.ui.out(`  ${c.name.padEnd(20)} ${c.from.padEnd(8)} ${why}`);
  }
  if (o.check || todo.length === 0) {
    if (todo.length === 0) ctx.ui.out('Every sandbox is up to date.');
    return 0;
  }
  const reg = await ctx.registry().read();
  const entryOf = (n: string): SandboxEntry => reg.sandboxes[n]!;
  if (o.dryRun) {
    const { planRebuild, formatRebuildPlan } = await import('./rebuild-plan.ts');
    for (const c of todo) {
      ctx.ui.out('');
      ctx.ui.out(formatRebuildPlan(await planRebuild(ctx, entryOf(c.name), { spec: newest })));
    }
    return 0;
  }
  const names = todo.map((c) => c.name).join(', ');
  const consent = {
    yes: o.yes,
    env: ctx.env,
    stdinIsTTY: ctx.ui.stdinIsTTY,
    retry: 'nemoclaw upgrade-sandboxes',
  };
  assertCanAsk(`Upgrading ${names} replaces their containers`, consent);
  const question = `Upgrade ${names} to blueprint ${newest}? Each is snapshotted first and restored after.`;
  if (!(await ask(question, { ...consent, confirm: (q) => deps.confirm(q) }))) {
    ctx.ui.info('Nothing was changed.');
    return 1;
  }
  const { rebuild } = await import('./rebuild.ts');
  const failed: string[] = [];
  for (const c of todo) {
    ctx.ui.info(`== ${c.name}`);
    try {
      const e = entryOf(c.name);
      await rebuild(
        ctx,
        {
          openshell: await deps.openshell(e.gatewayName, e.workspace),
          docker: () => deps.docker(),
          blueprints: () => deps.blueprints(),
          confirm: (m) => deps.confirm(m),
          extraLabels: deps.extraLabels,
          // The test hook reaches every rebuild, not only `<name> rebuild` (kill-at-every-step tests).
          faultPause: deps.faultPause,
          ...policyFilesOf(deps),
        },
        c.resume
          ? { sandbox: c.name, resume: true, consented: true }
          : { sandbox: c.name, blueprint: newest, consented: true },
      );
    } catch (e) {
      failed.push(c.name);
      ctx.ui.error(`  ${c.name}: ${(e as Error).message}`);
      if (e instanceof NemoclawError && e.hint) ctx.ui.error(`  ${e.hint}`);
    }
  }
  if (failed.length > 0) {
    ctx.ui.error(
      `Not upgraded: ${failed.join(', ')}. Run nemoclaw upgrade-sandboxes again to resume them.`,
    );
    return 1;
  }
  return 0;
}
