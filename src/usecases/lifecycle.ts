/**
 * `<name> stop|start` and `stop --all|start --all` (issue 15): OpenShell's `sandbox stop|start`
 * (v0.0.111 cli/run.rs sandbox_stop/sandbox_start), which keep the sandbox's workspace. Stop drops
 * the dashboard forward (OpenShell's stop does that itself) and records the intent in the registry,
 * so that `recover` leaves the sandbox stopped and `status` does not call it unhealthy; start brings
 * the sandbox and its forward back. Observe → plan → (dry run: print) → one executor applies.
 */
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Context } from '../context.ts';
import { NemoclawError } from '../core/errors.ts';
import { formatPlan, type Plan, type PlanStep } from '../core/plan.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import type { OpsWorld } from '../world.ts';
import { requireEntry } from './registry-entry.ts';
import { warnLost } from './unobserved.ts';

export type LifecycleVerb = 'stop' | 'start';

type StepKind =
  | 'registry.desired-state'
  | 'openshell.sandbox.stop'
  | 'openshell.sandbox.start'
  | 'openshell.forward.start';

/** Pure: what stop or start must do, given the phase OpenShell reports. */
export function lifecyclePlan(
  verb: LifecycleVerb,
  entry: SandboxEntry,
  phase: string,
): Plan<PlanStep<StepKind>> {
  const name = entry.name;
  const steps: PlanStep<StepKind>[] = [];
  const want = verb === 'stop' ? 'stopped' : 'running';
  if (entry.desiredState !== want) {
    steps.push({
      kind: 'registry.desired-state',
      target: name,
      cause:
        verb === 'stop'
          ? 'recover and status must know it is stopped on purpose'
          : 'recover brings it back again after a reboot',
      args: { desiredState: want },
    });
  }
  if (verb === 'stop' && phase !== 'Stopped') {
    steps.push({
      kind: 'openshell.sandbox.stop',
      target: name,
      cause: `phase is ${phase}; the workspace is kept and the dashboard forward is dropped`,
    });
  }
  if (verb === 'start') {
    if (phase !== 'Ready')
      steps.push({ kind: 'openshell.sandbox.start', target: name, cause: `phase is ${phase}` });
    steps.push({
      kind: 'openshell.forward.start',
      target: `${name}:${entry.dashboardPort}`,
      cause: 'the dashboard, unless its forward already runs',
    });
  }
  return { title: `${verb} ${name}`, steps };
}

async function applyStep(
  ctx: Context,
  client: OpenshellClient,
  entry: SandboxEntry,
  step: PlanStep<StepKind>,
): Promise<string | undefined> {
  switch (step.kind) {
    case 'registry.desired-state': {
      const desiredState = step.args!.desiredState as 'running' | 'stopped';
      await ctx.registry().update((r) => {
        const cur = r.sandboxes[entry.name];
        if (!cur) return undefined;
        return { ...r, sandboxes: { ...r.sandboxes, [entry.name]: { ...cur, desiredState } } };
      });
      return undefined;
    }
    case 'openshell.sandbox.stop':
      await client.sandboxStop(entry.name);
      return 'sandbox stopped';
    case 'openshell.sandbox.start':
      await client.sandboxStart(entry.name);
      return 'sandbox started';
    case 'openshell.forward.start': {
      const { ensureForward } = await import('./sandbox-session.ts');
      return (await ensureForward(ctx, client, entry))
        ? `dashboard forward on port ${entry.dashboardPort}`
        : undefined;
    }
  }
}

export async function sandboxLifecycle(
  ctx: Context,
  deps: OpsWorld,
  o: { sandbox: string; verb: LifecycleVerb; dryRun?: boolean },
): Promise<number> {
  const entry = await requireEntry(ctx, o.sandbox);
  const client = await deps.openshell(entry.gatewayName, entry.workspace);
  const live = await client.sandboxGet(entry.name);
  if (!live) {
    throw new NemoclawError(
      'not-found',
      `OpenShell has no sandbox named ${entry.name}, so there is nothing to ${o.verb}.`,
      {
        hint: `Recreate it with \`nemoclaw onboard --name ${entry.name}\`, then restore a snapshot (nemoclaw ${entry.name} snapshot restore latest).`,
      },
    );
  }
  if (o.verb === 'start' && live.phase === 'Error') {
    // OpenShell refuses to start a failed sandbox (core/ops/recover-phase.ts): say why, change nothing.
    const { notStartableError } = await import('./recover-failed.ts');
    throw await notStartableError(ctx, deps, entry.name, live.phase, true);
  }
  const plan = lifecyclePlan(o.verb, entry, live.phase);
  if (o.dryRun) {
    ctx.ui.out(formatPlan(plan));
    return 0;
  }
  const done: string[] = [];
  for (const step of plan.steps) {
    try {
      const what = await applyStep(ctx, client, entry, step);
      if (what) done.push(what);
    } catch (e) {
      if (step.kind === 'openshell.sandbox.stop') {
        // It still runs: the registry must not say it was stopped on purpose.
        const back = {
          ...step,
          kind: 'registry.desired-state' as const,
          args: { desiredState: 'running' },
        };
        await applyStep(ctx, client, entry, back).catch((re: unknown) =>
          warnLost(
            ctx,
            {
              id: 'rollback.desired-state',
              what: `set ${entry.name} back to running in the registry after the failed stop`,
              consequence: `the registry says it was stopped on purpose although it still runs; fix it with: nemoclaw ${entry.name} start`,
            },
            re,
          ),
        );
      }
      throw new NemoclawError(
        'failed',
        `Could not ${o.verb} ${entry.name}: ${(e as Error).message}`,
        {
          cause: e,
          hint:
            o.verb === 'stop'
              ? `A sandbox stops from Ready. See its phase with: nemoclaw ${entry.name} status`
              : `See why with: nemoclaw ${entry.name} logs; if it cannot come back: nemoclaw ${entry.name} rebuild`,
        },
      );
    }
  }
  if (o.verb === 'stop') {
    ctx.ui.out(
      `${done.length ? 'Stopped' : 'Already stopped:'} ${entry.name}; its state is kept. Start it with: nemoclaw ${entry.name} start`,
    );
  } else {
    ctx.ui.out(
      done.length
        ? `Started ${entry.name}: ${done.join('; ')}.`
        : `${entry.name} is already running with its dashboard forward.`,
    );
  }
  return 0;
}

/** `stop --all` / `start --all`: every registered sandbox; one failure does not stop the rest. */
export async function lifecycleAll(
  ctx: Context,
  deps: OpsWorld,
  o: { verb: LifecycleVerb; dryRun?: boolean },
): Promise<number> {
  const names = Object.keys((await ctx.registry().read()).sandboxes).sort();
  if (names.length === 0) {
    ctx.ui.info(`No sandboxes are registered; nothing to ${o.verb}.`);
    return 0;
  }
  const failed: string[] = [];
  for (const name of names) {
    ctx.ui.info(`== ${name}`);
    try {
      await sandboxLifecycle(ctx, deps, { sandbox: name, verb: o.verb, dryRun: o.dryRun });
    } catch (e) {
      failed.push(name);
      ctx.ui.error(`  ${name}: ${(e as Error).message}`);
      if (e instanceof NemoclawError && e.hint) ctx.ui.error(`  ${e.hint}`);
    }
  }
  if (failed.length > 0) {
    ctx.ui.error(`Could not ${o.verb}: ${failed.join(', ')}. See: nemoclaw <name> status`);
    return 1;
  }
  return 0;
}
