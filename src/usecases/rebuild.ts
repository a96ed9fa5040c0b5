/**
 * `nemoclaw <name> rebuild` (product.md §10): a journaled transaction that never loses the agent's
 * memory. snapshot → verify snapshot → delete → image → create → Ready → restore → re-apply presets
 * and custom policies → verify. The journal is written before and after every step; a failure or
 * a kill leaves it, `rebuild --resume` continues from the first unfinished step, and the
 * pre-rebuild snapshot is kept.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from '../context.ts';
import { ask, assertCanAsk } from '../core/consent.ts';
import { NemoclawError, UsageError, UserError } from '../core/errors.ts';
import {
  JOURNAL_SCHEMA_VERSION,
  JournalSchema,
  REBUILD_STEPS,
  newJournal,
  pendingStep,
  type Journal,
  type RebuildStepId,
} from '../core/rebuild/journal.ts';
import {
  STEPS,
  checkBeforeResume,
  verifiedBlueprint,
  type RebuildDeps,
  type Run,
} from './rebuild-steps.ts';

export type { RebuildDeps } from './rebuild-steps.ts';

export interface RebuildOptions {
  sandbox: string;
  yes?: boolean;
  resume?: boolean;
}

export function journalPath(ctx: Context, sandbox: string): string {
  return join(ctx.paths.journalDir, `${sandbox}.json`);
}

function journalSpec(ctx: Context, sandbox: string) {
  return {
    path: journalPath(ctx, sandbox),
    what: `the rebuild journal of ${sandbox}`,
    schema: JournalSchema as never,
    schemaVersion: JOURNAL_SCHEMA_VERSION,
    empty: () => undefined as unknown as Journal,
  };
}

export async function readJournal(ctx: Context, sandbox: string): Promise<Journal | undefined> {
  const { readJsonFile } = await import('../adapters/state/json-file.ts');
  return (await readJsonFile<Journal>(journalSpec(ctx, sandbox))) ?? undefined;
}

async function writeJournal(ctx: Context, j: Journal): Promise<void> {
  const { writeJsonFile } = await import('../adapters/state/json-file.ts');
  j.updatedAt = ctx.now().toISOString();
  await writeJsonFile<Journal>(journalSpec(ctx, j.sandbox), j);
}

/** Test hook: pause at the start of a step so a test can kill the process there. */
async function faultPause(ctx: Context, step: RebuildStepId): Promise<void> {
  const spec = ctx.env.NEMOCLAW_FAULT_PAUSE;
  if (!spec) return;
  const [at, ms] = spec.split(':');
  if (at === step) await new Promise((r) => setTimeout(r, Number(ms ?? 10_000)));
}

export async function rebuild(ctx: Context, deps: RebuildDeps, o: RebuildOptions): Promise<number> {
  const reg = await ctx.registry().read();
  const entry = reg.sandboxes[o.sandbox];
  if (!entry)
    throw new UserError(`No sandbox named ${o.sandbox} is registered.`, {
      kind: 'not-found',
      hint: 'See: nemoclaw list',
    });
  const consent = {
    yes: o.yes,
    destructive: true,
    env: ctx.env,
    stdinIsTTY: ctx.ui.stdinIsTTY,
    retry: `nemoclaw ${o.sandbox} rebuild`,
  };
  if (!o.resume) assertCanAsk(`Rebuild ${o.sandbox}`, consent);
  const { acquireLock } = await import('../adapters/state/lock.ts');
  const lock = await acquireLock(`${journalPath(ctx, o.sandbox)}.run.lock`, {
    timeoutMs: 0,
    what: `the rebuild of ${o.sandbox}`,
  });
  let endActivity: (() => void) | undefined;
  try {
    let journal = await readJournal(ctx, o.sandbox);
    if (journal && !journal.completedAt) {
      if (!o.resume) {
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
      if (
        !(await ask(
          `Rebuild ${o.sandbox}? Its state is saved in a snapshot first and restored after.`,
          { ...consent, confirm: (q) => deps.confirm(q) },
        ))
      ) {
        ctx.ui.info('Nothing was changed.');
        return 1;
      }
      journal = newJournal(o.sandbox, ctx.now());
      await writeJournal(ctx, journal);
    }
    const run: Run = { ctx, deps, journal, entry };
    if (o.resume) await checkBeforeResume(run);
    const total = REBUILD_STEPS.length;
    let current = '';
    endActivity = (await import('../adapters/terminal/interrupt.ts')).noteActivity(
      () => `rebuilding ${o.sandbox}${current ? ` (at ${current})` : ''}`,
      `The journal and the pre-rebuild snapshot are kept: continue with \`nemoclaw ${o.sandbox} rebuild --resume\`.`,
    );
    for (const [i, step] of REBUILD_STEPS.entries()) {
      if (journal.steps[step.id]?.status === 'complete') continue;
      current = `step ${i + 1}/${total}, ${step.title}`;
      ctx.ui.info(`[${i + 1}/${total}] ${step.title}`);
      journal.steps[step.id] = { status: 'in_progress', at: ctx.now().toISOString() };
      await writeJournal(ctx, journal);
      await faultPause(ctx, step.id);
      try {
        const what = await STEPS[step.id](run);
        journal.steps[step.id] = { status: 'complete', at: ctx.now().toISOString() };
        journal.failure = undefined;
        await writeJournal(ctx, journal);
        ctx.ui.info(`  ✓ ${what}`);
      } catch (e) {
        const err =
          e instanceof NemoclawError
            ? e
            : new NemoclawError('failed', (e as Error)?.message ?? String(e), { cause: e });
        journal.steps[step.id] = {
          status: 'failed',
          at: ctx.now().toISOString(),
          error: err.message,
        };
        journal.failure = { step: step.id, message: err.message };
        await writeJournal(ctx, journal).catch(() => {});
        const kept = journal.snapshotId
          ? ` The snapshot ${journal.snapshotId} holds the agent's state and is kept.`
          : '';
        throw new NemoclawError(
          err.kind,
          `Rebuild of ${o.sandbox} failed at step ${i + 1}/${total} (${step.title}): ${err.message}.${kept}`,
          {
            hint: `${err.hint ? `${err.hint}\n  ` : ''}Continue with: nemoclaw ${o.sandbox} rebuild --resume`,
            cause: err,
          },
        );
      }
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
            blueprintVersion: bp.version,
            blueprintDigest: bp.digest,
            updatedAt: ctx.now().toISOString(),
          },
        },
      };
    });
    journal.completedAt = ctx.now().toISOString();
    await writeJournal(ctx, journal);
    await rm(journalPath(ctx, o.sandbox), { force: true });
    ctx.ui.out(
      `Rebuilt ${o.sandbox}. The pre-rebuild snapshot ${journal.snapshotId} is kept (nemoclaw ${o.sandbox} snapshot list).`,
    );
    return 0;
  } finally {
    endActivity?.();
    await lock.release();
  }
}
