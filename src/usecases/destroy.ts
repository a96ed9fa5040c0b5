/**
 * `<name> destroy [--yes] [--force] [--dry-run]`: observe → plan (core/ops/destroy-plan.ts) →
 * confirm → apply. Keeps the gateway and the snapshots. `--force` goes ahead with the gateway down
 * (the container is removed by its label) or with OpenShell no longer knowing the sandbox.
 */
import type { Context } from '../context.ts';
import { ask, assertCanAsk } from '../core/consent.ts';
import { isNemoclawError } from '../core/errors.ts';
import { planDestroy } from '../core/ops/destroy-plan.ts';
import { formatPlan } from '../core/plan.ts';
import { withoutSandbox } from '../core/registry/schema.ts';
import type { OpsWorld } from '../world.ts';
import { requireEntry } from './registry-entry.ts';
import { reportingHooks } from './plan-hooks.ts';

const CONNECTED = new Set(['connected', 'connected_http']);

export async function destroySandbox(
  ctx: Context,
  deps: OpsWorld,
  o: { sandbox: string; yes?: boolean; force?: boolean; dryRun?: boolean },
): Promise<number> {
  const name = o.sandbox;
  const entry = await requireEntry(ctx, name);
  // Refuse before touching anything when nobody could answer the question.
  const question = `Destroy sandbox ${name}? Its workspace is deleted (snapshots are kept).`;
  const consent = {
    yes: o.yes,
    dryRun: o.dryRun,
    destructive: true,
    env: ctx.env,
    stdinIsTTY: ctx.ui.stdinIsTTY,
    retry: `nemoclaw ${name} destroy`,
  };
  assertCanAsk(question, consent);
  const reg = await ctx.registry().read();
  const client = await deps.openshell(entry.gatewayName, entry.workspace);

  // Observe.
  const st = await client.status().catch(() => undefined);
  const gatewayUp = st !== undefined && CONNECTED.has(st.status);
  let sandboxExists: boolean | undefined;
  if (gatewayUp) {
    try {
      sandboxExists = (await client.sandboxGet(name)) !== undefined;
    } catch (e) {
      if (!o.force) throw e;
      sandboxExists = undefined;
    }
  }
  const imageSharedWith = Object.values(reg.sandboxes)
    .filter((s) => s.name !== name && s.image === entry.image)
    .map((s) => s.name);
  const plan = planDestroy({
    entry,
    gatewayUp: gatewayUp && sandboxExists !== undefined,
    sandboxExists,
    imageSharedWith,
    force: Boolean(o.force),
  });

  if (o.dryRun) {
    ctx.ui.out(formatPlan(plan));
    return 0;
  }

  // Confirm.
  if (!(await ask(question, { ...consent, confirm: (q) => deps.confirm(q) }))) {
    ctx.ui.info('Nothing was changed.');
    return 1;
  }
  if (!gatewayUp) {
    ctx.ui.warn(
      `The gateway ${entry.gatewayName} does not answer: skipping OpenShell, removing the container directly.`,
    );
  }

  // Apply.
  const { runPlan } = await import('../core/plan-run.ts');
  await runPlan(
    plan,
    {
      'openshell.forward.stop': () => client.forwardStop(name, entry.dashboardPort),
      'openshell.sandbox.delete': async () => {
        try {
          await client.sandboxDelete(name);
          ctx.ui.info(`✓ Deleted sandbox ${name}`);
        } catch (e) {
          // With --force, a sandbox OpenShell no longer has is already where it should be.
          if (!(o.force && isNemoclawError(e) && e.kind === 'not-found')) throw e;
        }
      },
      'docker.container.remove': async () => {
        const { removeSandboxContainers } = await deps.docker();
        const n = await removeSandboxContainers(await deps.engine(), name);
        if (n > 0) ctx.ui.info(`✓ Removed ${n} container${n === 1 ? '' : 's'} of ${name}`);
      },
      'docker.image.remove': async () => {
        const { removeImageIfUnused } = await deps.docker();
        const r = await removeImageIfUnused(await deps.engine(), entry.image);
        if (r === 'removed') ctx.ui.info(`✓ Removed image ${entry.image}`);
        if (r === 'in-use') ctx.ui.info(`Kept image ${entry.image}: a container still uses it.`);
      },
      'registry.entry.remove': () =>
        ctx.registry().update((r) => (r.sandboxes[name] ? withoutSandbox(r, name) : undefined)),
    },
    reportingHooks(ctx),
  );
  const after = await ctx.registry().read();
  ctx.ui.out(`Destroyed sandbox ${name}.`);
  if (after.defaultSandbox && reg.defaultSandbox === name) {
    ctx.ui.out(`The default sandbox is now ${after.defaultSandbox}.`);
  }
  const { readSnapshotManifests } = await deps.files();
  const snaps = await readSnapshotManifests(ctx.paths.snapshotsDir, name);
  if (snaps.length > 0) {
    ctx.ui.info(
      `Kept ${snaps.length} snapshot${snaps.length === 1 ? '' : 's'} in ${ctx.paths.snapshotsDir}/${name}.`,
    );
  }
  return 0;
}
