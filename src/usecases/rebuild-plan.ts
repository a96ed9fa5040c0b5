/**
 * The plan of a rebuild or an upgrade (issue 15): the very steps the runner iterates
 * (REBUILD_STEPS), with the migrations it will run and the blueprint diff (base image, agent
 * version, policy changes by key, state paths, resources). `--dry-run` prints it; nothing changes.
 */
import type { Context } from '../context.ts';
import { blueprintDiff, pendingMigrations, type BlueprintChange } from '../core/blueprint/diff.ts';
import { formatPlan, type Plan } from '../core/plan.ts';
import { REBUILD_STEPS, type RebuildStepId } from '../core/rebuild/journal.ts';
import { rebuildSteps } from '../core/rebuild/steps.ts';
import { rebuildPushRegistry } from '../core/rebuild/push-target.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import { entryBlueprintSpec, entryProviders, verifiedBlueprintOf } from './rebuild-steps.ts';
import { orWarn } from './unobserved.ts';
import type { World } from '../world.ts';

export interface RebuildPlan {
  plan: Plan;
  changes: BlueprintChange[];
  fromVersion: string;
  toVersion: string;
  migrations: string[];
}

const CAUSES: Record<RebuildStepId, (e: SandboxEntry) => string> = {
  snapshot: () => "the agent's state must survive the rebuild",
  'verify-snapshot': () => 'nothing is deleted before the snapshot is known good',
  delete: () => 'the new sandbox takes its name',
  image: (e) =>
    e.fromDockerfile
      ? `the custom image, rebuilt from ${e.fromDockerfile}`
      : "the target blueprint's Dockerfile on its base image",
  create: (e) =>
    `same name, policy (tier ${e.policyTier}; presets ${e.presets.join(', ') || 'none'}) and providers (${entryProviders(e).join(', ') || 'none'})`,
  ready: () => 'restore needs a running sandbox',
  restore: () => "the snapshot's files go back in place",
  policies: () => 'presets and custom policies are applied again',
  verify: () => 'every restored file is compared with the snapshot',
  migrate: () => "the target blueprint's migrations, on the restored state",
  healthy: () => 'the sandbox is Ready and runs commands',
};

export async function planRebuild(
  ctx: Context,
  world: Pick<World, 'blueprints'>,
  entry: SandboxEntry,
  target: { spec: string; sha256?: string; dryRun?: boolean },
  mode: 'rebuild' | 'rollback' = 'rebuild',
  snapshotId?: string,
): Promise<RebuildPlan> {
  const { readPolicyTexts } = await world.blueprints();
  const to = await verifiedBlueprintOf(ctx, world, target);
  const from = await orWarn(
    ctx,
    {
      id: `blueprint.${entry.name}`,
      what: `verify the blueprint ${entry.name} was built from (${entry.blueprintVersion})`,
      consequence: 'the plan cannot show what changes',
    },
    verifiedBlueprintOf(ctx, world, { ...entryBlueprintSpec(entry), dryRun: target.dryRun }),
    undefined,
  );
  const changes = from
    ? blueprintDiff(from.blueprint, to.blueprint, entry.agent, {
        from: await readPolicyTexts(from.blueprint, from.assetsRoot, entry.agent),
        to: await readPolicyTexts(to.blueprint, to.assetsRoot, entry.agent),
      })
    : [
        {
          area: 'blueprint',
          what: `${entry.blueprintVersion} (cannot be read here) → ${to.version}`,
        },
      ];
  const migrations =
    mode === 'rollback'
      ? []
      : pendingMigrations(to.blueprint, entry.blueprintVersion, entry.agent).map((m) => m.id);
  const push = rebuildPushRegistry(entry);
  const steps = rebuildSteps(entry.name, (id) => {
    const args: Record<string, unknown> = {};
    if (id === 'image' || id === 'create') args.blueprint = `${to.version} (${to.source})`;
    if (id === 'image' && push) args.push = `${push} (the remote gateway pulls from there)`;
    if (id === 'restore' && snapshotId) args.snapshot = snapshotId;
    if (id === 'migrate') args.migrations = migrations.length ? migrations : 'none';
    const title = REBUILD_STEPS.find((s) => s.id === id)!.title;
    return {
      cause: `${title}: ${CAUSES[id](entry)}`,
      args: Object.keys(args).length ? args : undefined,
    };
  }).filter((s) => !(mode === 'rollback' && s.id === 'snapshot')); // the kept snapshot is restored
  return {
    plan: {
      title: `${mode} ${entry.name}: blueprint ${entry.blueprintVersion} → ${to.version}`,
      steps,
    },
    changes,
    fromVersion: entry.blueprintVersion,
    toVersion: to.version,
    migrations,
  };
}

export function formatRebuildPlan(p: RebuildPlan): string {
  const lines = [formatPlan(p.plan), 'Blueprint changes:'];
  if (p.changes.length === 0) lines.push('  (none: same blueprint)');
  for (const c of p.changes) lines.push(`  ${c.area}: ${c.what}`);
  return lines.join('\n');
}
