/**
 * `nemoclaw <name> rebuild` (product.md §10): a journaled transaction that never loses the agent's
 * memory. snapshot → verify snapshot → delete → image → create → Ready → restore → re-apply presets
 * and custom policies → verify. The journal is written before and after every step; a failure or
 * a kill leaves it, `rebuild --resume` continues from the first unfinished step, and the
 * pre-rebuild snapshot is kept.
 */
import { rm } from 'node:fs/promises';
import type { Context } from '../context.ts';
import { ask, assertCanAsk } from '../core/consent.ts';
import { NemoclawError, UsageError } from '../core/errors.ts';
import {
  newJournal,
  pendingStep,
  type Journal,
  type RebuildStepId,
} from '../core/rebuild/journal.ts';
import { rebuildHandlers, rebuildSteps } from '../core/rebuild/steps.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import {
  doneJournalPath,
  journalPath,
  readDoneJournal,
  readJournal,
  writeJournal,
} from './rebuild-journal.ts';
import { MIGRATE_STEPS } from './rebuild-migrate.ts';
import { requireEntry } from './registry-entry.ts';
import { planMove, prepareWorkspace } from './rebuild-workspace.ts';
import {
  STEPS as FIRST_STEPS,
  checkBeforeResume,
  entryBlueprintSpec,
  entryProviders,
  verifiedBlueprint,
  verifiedBlueprintOf,
  type RebuildDeps,
  type RebuildWorld,
  type Run,
} from './rebuild-steps.ts';
import { warnLost } from './unobserved.ts';

export type { RebuildDeps, RebuildWorld } from './rebuild-steps.ts';

const STEPS: Record<RebuildStepId, (r: Run) => Promise<string>> = {
  ...FIRST_STEPS,
  ...MIGRATE_STEPS,
};

export interface RebuildOptions {
  sandbox: string;
  yes?: boolean;
  resume?: boolean;
  /** The blueprint to rebuild onto (version, folder or URL); default: what it was made from. */
  blueprint?: string;
  blueprintSha256?: string;
  /** Back to the blueprint and state before the last upgrade, from its kept snapshot. */
  rollback?: boolean;
  dryRun?: boolean;
  /** Set by upgrade-sandboxes: the consent was given once for all. */
  consented?: boolean;
}

function fromOf(e: SandboxEntry): NonNullable<Journal['from']> {
  return {
    blueprintVersion: e.blueprintVersion,
    blueprintDigest: e.blueprintDigest,
    blueprintSource: e.blueprintSource,
    blueprintSha256: e.blueprintSha256,
    image: e.image,
  };
}

/** A new rollback transaction: onto the blueprint before the upgrade, from its kept snapshot. */
function rollbackJournal(ctx: Context, name: string, last: Journal | undefined): Journal {
  if (!last?.from || !last.snapshotId) {
    throw new UsageError(`There is no upgrade of ${name} to roll back.`, {
      hint: `See its snapshots with: nemoclaw ${name} snapshot list`,
    });
  }
  const j = newJournal(name, ctx.now());
  j.mode = 'rollback';
  j.snapshotId = last.snapshotId;
  j.from = last.from;
  j.target = {
    spec: last.from.blueprintSource ?? last.from.blueprintVersion,
    sha256: last.from.blueprintSha256,
  };
  j.steps.snapshot = { status: 'complete', at: ctx.now().toISOString() };
  return j;
}

/** Test hook: pause at the start of a step so a test can kill the process there. */
async function faultPause(
  deps: Pick<RebuildDeps, 'faultPause'>,
  step: RebuildStepId,
): Promise<void> {
  const spec = deps.faultPause;
  if (!spec) return;
  const [at, ms] = spec.split(':');
  if (at === step) await new Promise((r) => setTimeout(r, Number(ms ?? 10_000)));
}

/** A rebuild of a registered sandbox, through its own gateway and workspace. */
export async function rebuild(
  ctx: Context,
  world: RebuildWorld,
  o: RebuildOptions,
): Promise<number> {
  const entry = await requireEntry(ctx, o.sandbox);
  if (o.rollback && o.blueprint)
    throw new UsageError(
      '--rollback goes back to the blueprint before the upgrade; drop --blueprint.',
    );
  const asked = o.blueprint ? { spec: o.blueprint, sha256: o.blueprintSha256 } : undefined;
  if (o.dryRun) return printPlan(ctx, world, entry, o, asked);
  // Destructive whatever the mode (issue 18): refused before anything is observed or locked.
  if (!o.resume && !o.consented && !o.dryRun)
    assertCanAsk(`Rebuild ${o.sandbox}`, consentOptions(ctx, o));
  const deps: RebuildDeps = {
    ...world,
    openshell: await world.openshell(entry.gatewayName, entry.workspace),
  };
  const { acquireLock } = await world.files();
  const lock = await acquireLock(`${journalPath(ctx, o.sandbox)}.run.lock`, {
    timeoutMs: 0,
    what: `the rebuild of ${o.sandbox}`,
  });
  let endActivity: (() => void) | undefined;
  try {
    let journal = await readJournal(ctx, deps, o.sandbox);
    if (o.rollback && !(journal?.mode === 'rollback' && !journal.completedAt)) {
      const last =
        journal && !journal.completedAt ? journal : await readDoneJournal(ctx, deps, o.sandbox);
      if (
        !(await consent(
          ctx,
          deps,
          o,
          `Roll ${o.sandbox} back to blueprint ${last?.from?.blueprintVersion ?? '?'} from snapshot ${last?.snapshotId ?? '?'}?`,
        ))
      )
        return 1;
      journal = rollbackJournal(ctx, o.sandbox, last);
      await writeJournal(ctx, deps, journal);
    } else if (journal && !journal.completedAt) {
      if (!o.resume && !o.rollback) {
        throw new UsageError(
          `A rebuild of ${o.sandbox} was interrupted at "${pendingStep(journal)}".`,
          {
            hint: `Finish it with: nemoclaw ${o.sandbox} rebuild --resume`,
          },
        );
      }
    } else {
      if (o.resume)
        throw new UsageError(`There is no interrupted rebuild of ${o.sandbox} to resume.`, {
          hint: `Start one with: nemoclaw ${o.sandbox} rebuild`,
        });
      const target = asked ?? entryBlueprintSpec(entry);
      const to = await verifiedBlueprintOf(ctx, deps, target); // refuses a bad blueprint, nothing changed
      const onto = to.version === entry.blueprintVersion ? '' : ` onto blueprint ${to.version}`;
      if (
        !(await consent(
          ctx,
          deps,
          o,
          `Rebuild ${o.sandbox}${onto}? Its state is saved in a snapshot first and restored after.`,
        ))
      )
        return 1;
      journal = newJournal(o.sandbox, ctx.now());
      journal.target = target;
      journal.from = fromOf(entry);
      journal.workspace = planMove(ctx, entry);
      await writeJournal(ctx, deps, journal);
    }
    const j = journal;
    const run: Run = { ctx, deps, journal: j, entry, save: () => writeJournal(ctx, deps, j) };
    if (o.resume) await checkBeforeResume(run);
    const steps = rebuildSteps(o.sandbox);
    const total = steps.length;
    let current = '';
    endActivity = (await deps.interrupts()).noteActivity(
      () => `rebuilding ${o.sandbox}${current ? ` (at ${current})` : ''}`,
      `The journal and the pre-rebuild snapshot are kept: continue with \`nemoclaw ${o.sandbox} rebuild --resume\`.`,
    );
    const moveAt = steps.findIndex((s) => s.id === 'create');
    const { runPlan } = await import('../core/plan-run.ts');
    const handlers = rebuildHandlers((id) => STEPS[id](run));
    let failedAt = -1;
    try {
      await runPlan({ title: `rebuild ${o.sandbox}`, steps }, handlers, {
        // A resumed rebuild goes on from the first step the journal has not completed.
        skip: (step) => j.steps[step.id]?.status === 'complete',
        before: async (step, i) => {
          current = `step ${i + 1}/${total}, ${step.title}`;
          // From the create step on, a moving sandbox lives in its new workspace.
          if (i >= moveAt && j.workspace && !entry.workspace && run.deps === deps) {
            run.deps = {
              ...deps,
              openshell: await prepareWorkspace(ctx, world, entry, j.workspace, deps.openshell),
            };
            ctx.ui.info(`  moving ${o.sandbox} into workspace ${j.workspace} (its own route)`);
          }
          ctx.ui.info(`[${i + 1}/${total}] ${step.title}`);
          j.steps[step.id] = { status: 'in_progress', at: ctx.now().toISOString() };
          await writeJournal(ctx, deps, j);
          await faultPause(deps, step.id);
        },
        after: async (step, _i, what) => {
          j.steps[step.id] = { status: 'complete', at: ctx.now().toISOString() };
          j.failure = undefined;
          await writeJournal(ctx, deps, j);
          ctx.ui.info(`  ✓ ${String(what)}`);
        },
        onFailed: async ({ step, error }, i) => {
          failedAt = i;
          const message = (error as Error)?.message ?? String(error);
          j.steps[step.id] = { status: 'failed', at: ctx.now().toISOString(), error: message };
          j.failure = { step: step.id, message };
          await writeJournal(ctx, deps, j).catch((we: unknown) =>
            warnLost(
              ctx,
              {
                id: 'rebuild.journal-write',
                what: `record the failed step in the rebuild journal of ${o.sandbox}`,
                consequence: `\`rebuild --resume\` continues from the last step the journal recorded, not from ${step.id}`,
              },
              we,
            ),
          );
        },
      });
    } catch (e) {
      if (failedAt < 0) throw e;
      const step = steps[failedAt]!;
      const err =
        e instanceof NemoclawError
          ? e
          : new NemoclawError('failed', (e as Error)?.message ?? String(e), { cause: e });
      const kept =
        j.snapshotId && !err.hint?.includes(j.snapshotId)
          ? ` The snapshot ${j.snapshotId} holds the agent's state and is kept.`
          : '';
      throw new NemoclawError(
        err.kind,
        `Rebuild of ${o.sandbox} failed at step ${failedAt + 1}/${total} (${step.title}): ${err.message}.${kept}`,
        {
          hint: `${err.hint ? `${err.hint}\n  ` : ''}Continue with: nemoclaw ${o.sandbox} rebuild --resume`,
          cause: err,
        },
      );
    }
    const bp = await verifiedBlueprint(run);
    await ctx.registry().update((r) => {
      const cur = r.sandboxes[o.sandbox];
      if (!cur) return undefined;
      return {
        ...r,
        sandboxes: {
          ...r.sandboxes,
          [o.sandbox]: {
            ...cur,
            image: journal.image ?? cur.image,
            agentChannels: entry.channels,
            blueprintVersion: bp.version,
            blueprintDigest: bp.digest,
            // A packaged version is its own source; a folder or URL is kept, with its pin.
            blueprintSource: bp.source === 'packaged' ? undefined : journal.target?.spec,
            blueprintSha256: bp.source === 'url' ? journal.target?.sha256 : undefined,
            // Entries from before issue 15 did not record them: they are recorded now.
            providers: cur.providers ?? entryProviders(cur),
            ...(journal.workspace ? { workspace: journal.workspace } : {}),
            updatedAt: ctx.now().toISOString(),
          },
        },
      };
    });
    journal.completedAt = ctx.now().toISOString();
    await writeJournal(ctx, deps, journal);
    // Kept for `rebuild --rollback` (a rollback's own record is not rolled back again).
    if (journal.mode !== 'rollback')
      await writeJournal(ctx, deps, journal, doneJournalPath(ctx, o.sandbox));
    else await rm(doneJournalPath(ctx, o.sandbox), { force: true });
    await rm(journalPath(ctx, o.sandbox), { force: true });
    ctx.ui.out(
      journal.mode === 'rollback'
        ? `Rolled ${o.sandbox} back to blueprint ${bp.version} from snapshot ${journal.snapshotId}.`
        : `Rebuilt ${o.sandbox} on blueprint ${bp.version}. The pre-rebuild snapshot ${journal.snapshotId} is kept (nemoclaw ${o.sandbox} snapshot list; undo with: nemoclaw ${o.sandbox} rebuild --rollback).`,
    );
    return 0;
  } finally {
    endActivity?.();
    await lock.release();
  }
}

function consentOptions(ctx: Context, o: RebuildOptions) {
  return {
    yes: o.yes,
    destructive: true,
    env: ctx.env,
    stdinIsTTY: ctx.ui.stdinIsTTY,
    retry: `nemoclaw ${o.sandbox} ${o.rollback ? 'rebuild --rollback' : 'rebuild'}`,
  };
}

async function consent(
  ctx: Context,
  deps: RebuildDeps,
  o: RebuildOptions,
  question: string,
): Promise<boolean> {
  if (o.consented) return true;
  const ok = await ask(question, { ...consentOptions(ctx, o), confirm: (q) => deps.confirm(q) });
  if (!ok) ctx.ui.info('Nothing was changed.');
  return ok;
}

async function printPlan(
  ctx: Context,
  world: Pick<RebuildWorld, 'files' | 'blueprints'>,
  entry: SandboxEntry,
  o: RebuildOptions,
  asked: { spec: string; sha256?: string } | undefined,
): Promise<number> {
  const { planRebuild, formatRebuildPlan } = await import('./rebuild-plan.ts');
  const pending = await readJournal(ctx, world, entry.name);
  if (o.rollback) {
    const last =
      pending && !pending.completedAt ? pending : await readDoneJournal(ctx, world, entry.name);
    const j = rollbackJournal(ctx, entry.name, last);
    const p = await planRebuild(
      ctx,
      world,
      entry,
      { ...j.target!, dryRun: true },
      'rollback',
      j.snapshotId,
    );
    ctx.ui.out(formatRebuildPlan(p));
    return 0;
  }
  if (pending && !pending.completedAt) {
    ctx.ui.out(`A rebuild of ${entry.name} is interrupted; --resume continues it:`);
  }
  const target = pending?.target ?? asked ?? entryBlueprintSpec(entry);
  // A dry run writes nothing under the home: a URL's archive is checked in a temp folder.
  ctx.ui.out(formatRebuildPlan(await planRebuild(ctx, world, entry, { ...target, dryRun: true })));
  return 0;
}
