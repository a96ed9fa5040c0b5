/**
 * `nemoclaw <name> rebuild` (product.md §10): a journaled transaction that never loses the agent's
 * memory. snapshot → verify snapshot → delete → image → create → Ready → restore → re-apply presets
 * and custom policies → verify. The journal is written before and after every step; a failure or
 * a kill leaves it, `rebuild --resume` continues from the first unfinished step, and the
 * pre-rebuild snapshot is kept.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Context } from '../context.ts';
import { consentMode } from '../core/consent.ts';
import { NemoclawError, UsageError, UserError } from '../core/errors.ts';
import { findProvider } from '../core/providers.ts';
import {
  JOURNAL_SCHEMA_VERSION,
  JournalSchema,
  REBUILD_STEPS,
  newJournal,
  pendingStep,
  type Journal,
  type RebuildStepId,
} from '../core/rebuild/journal.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import { createSandbox, waitReady } from './sandbox-create.ts';

export interface RebuildDeps {
  openshell: OpenshellClient;
  confirm(message: string): Promise<boolean>;
  extraLabels?: Record<string, string>;
}

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

interface Run {
  ctx: Context;
  deps: RebuildDeps;
  journal: Journal;
  entry: SandboxEntry;
}

async function snapshotRecord(r: Run) {
  const { resolveSnapshot } = await import('../adapters/snapshot/store.ts');
  return resolveSnapshot(r.ctx.paths.snapshotsDir, r.entry.name, r.journal.snapshotId);
}

async function verifiedBlueprint(r: Run) {
  const { resolveBlueprint, verifyOrThrow } = await import('../adapters/blueprint/resolve.ts');
  const bp = await resolveBlueprint({ packageRoot: r.ctx.packageRoot, home: r.ctx.paths.home });
  const v = await verifyOrThrow(bp);
  return { ...bp, digest: v.actual };
}

const STEPS: Record<RebuildStepId, (r: Run) => Promise<string>> = {
  async snapshot(r) {
    const { agentStatePaths } = await import('./snapshot.ts');
    const { createSnapshot } = await import('../adapters/snapshot/create.ts');
    const live = await r.deps.openshell.sandboxGet(r.entry.name);
    if (live?.phase !== 'Ready') {
      throw new UserError(
        `Sandbox ${r.entry.name} is ${live ? `in phase ${live.phase}` : 'missing'}; a rebuild starts from a Ready sandbox so that nothing is lost.`,
        {
          hint: `Bring it back with: nemoclaw ${r.entry.name} recover; or restore a snapshot into a new sandbox.`,
        },
      );
    }
    const res = await createSnapshot(
      { openshell: r.deps.openshell },
      {
        snapshotsDir: r.ctx.paths.snapshotsDir,
        source: r.entry,
        statePaths: await agentStatePaths(r.ctx, r.entry),
        name: `pre-rebuild-${r.ctx.now().toISOString().replace(/[:.]/g, '-')}`,
        now: r.ctx.now(),
        onProgress: (l) => r.ctx.ui.info(`  ${l}`),
      },
    );
    const failed = res.skipped.filter((s) => s.code === 'failed');
    if (failed.length > 0) {
      throw new NemoclawError(
        'failed',
        `The snapshot could not save ${failed.map((f) => f.path).join(', ')}; the sandbox was not touched.`,
        {
          hint: `Check those paths (nemoclaw ${r.entry.name} exec -- ls -la <path>) and run the rebuild again.`,
        },
      );
    }
    r.journal.snapshotId = res.record.id;
    return `snapshot ${res.record.id}`;
  },
  async 'verify-snapshot'(r) {
    const { verifySnapshot } = await import('../adapters/snapshot/restore.ts');
    const rec = await snapshotRecord(r);
    await verifySnapshot(rec);
    return `snapshot ${rec.id} verified`;
  },
  async delete(r) {
    const live = await r.deps.openshell.sandboxGet(r.entry.name);
    if (!live) return 'already deleted';
    await r.deps.openshell.sandboxDelete(r.entry.name);
    return `deleted ${r.entry.name}`;
  },
  async image(r) {
    const { buildSandboxImage } = await import('./sandbox-image.ts');
    const { connectEngine } = await import('../adapters/docker/engine.ts');
    const bp = await verifiedBlueprint(r);
    const res = await buildSandboxImage(
      {
        engine: await connectEngine(r.ctx.env),
        env: r.ctx.env,
        onProgress: (l) => r.ctx.ui.info(`  ${l}`),
        onWarning: (w) => r.ctx.ui.warn(w),
      },
      {
        blueprint: bp,
        blueprintDigest: bp.digest,
        agent: r.entry.agent,
        extraLabels: r.deps.extraLabels,
      },
    );
    r.journal.image = res.tag;
    return res.built ? `built ${res.tag}` : `${res.tag} (cached)`;
  },
  async create(r) {
    const live = await r.deps.openshell.sandboxGet(r.entry.name);
    if (live && ['Ready', 'Provisioning', 'Starting'].includes(String(live.phase)))
      return 'already created';
    if (live) await r.deps.openshell.sandboxDelete(r.entry.name); // a failed half-create holds nothing of the user's
    const bp = await verifiedBlueprint(r);
    const spec = findProvider(r.entry.provider);
    await createSandbox(r.ctx, r.deps.openshell, {
      name: r.entry.name,
      image: r.journal.image ?? r.entry.image,
      agent: r.entry.agent,
      blueprint: bp.blueprint,
      presets: r.entry.presets,
      customPolicies: r.entry.customPolicies,
      providers: spec ? [spec.openshellName] : [],
      gpu: r.entry.gpu,
    });
    return `created ${r.entry.name}`;
  },
  async ready(r) {
    await waitReady(
      r.ctx,
      r.deps.openshell,
      r.entry.name,
      `run: nemoclaw ${r.entry.name} rebuild --resume`,
    );
    return 'Ready';
  },
  async restore(r) {
    const { restoreSnapshot } = await import('../adapters/snapshot/restore.ts');
    const { sandboxSnapshotDir } = await import('../adapters/snapshot/store.ts');
    const { agentStatePaths } = await import('./snapshot.ts');
    const rec = await snapshotRecord(r);
    const res = await restoreSnapshot(
      { openshell: r.deps.openshell },
      {
        record: rec,
        sandbox: r.entry.name,
        expectedPaths: await agentStatePaths(r.ctx, r.entry),
        workDir: sandboxSnapshotDir(r.ctx.paths.snapshotsDir, r.entry.name),
        onProgress: (l) => r.ctx.ui.info(`  ${l}`),
      },
    );
    for (const s of res.skipped) r.ctx.ui.info(`  skipped ${s.path}: ${s.reason}`);
    return `restored ${res.restored.length} path(s)`;
  },
  async policies(r) {
    const { ensurePolicies } = await import('./policy-restore.ts');
    const res = await ensurePolicies(
      r.ctx,
      { openshell: r.deps.openshell },
      { sandbox: r.entry.name, presets: r.entry.presets },
    );
    return res.presets.length ? `presets: ${res.presets.join(', ')}` : 'no presets';
  },
  async verify(r) {
    const rec = await snapshotRecord(r);
    const files = rec.manifest.files.filter((f) => f.type === 'file');
    const mismatched: string[] = [];
    // Hash the restored files in the sandbox, in batches, and compare with the snapshot.
    for (let i = 0; i < files.length; i += 100) {
      const batch = files.slice(i, i + 100);
      const res = await r.deps.openshell.sandboxExec(
        r.entry.name,
        ['sha256sum', '--', ...batch.map((f) => `/${f.path}`)],
        { timeoutSecs: 300 },
      );
      const got = new Map<string, string>();
      for (const line of res.stdout.split('\n')) {
        const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
        if (m) got.set(m[2]!.replace(/^\//, ''), m[1]!);
      }
      for (const f of batch) if (got.get(f.path) !== f.sha256) mismatched.push(`/${f.path}`);
    }
    if (mismatched.length > 0) {
      throw new NemoclawError(
        'integrity',
        `${mismatched.length} restored file(s) differ from the snapshot: ${mismatched.slice(0, 5).join(', ')}`,
        {
          hint: `The snapshot ${rec.id} is kept. Run: nemoclaw ${r.entry.name} rebuild --resume`,
        },
      );
    }
    const live = await r.deps.openshell.sandboxGet(r.entry.name);
    if (live?.phase !== 'Ready')
      throw new NemoclawError(
        'failed',
        `Sandbox ${r.entry.name} is not Ready after the rebuild (phase ${live?.phase ?? 'missing'}).`,
        { hint: `Run: nemoclaw ${r.entry.name} rebuild --resume` },
      );
    return `${files.length} file(s) match the snapshot`;
  },
};

export async function rebuild(ctx: Context, deps: RebuildDeps, o: RebuildOptions): Promise<number> {
  const reg = await ctx.registry().read();
  const entry = reg.sandboxes[o.sandbox];
  if (!entry)
    throw new UserError(`No sandbox named ${o.sandbox} is registered.`, {
      kind: 'not-found',
      hint: 'See: nemoclaw list',
    });
  const { acquireLock } = await import('../adapters/state/lock.ts');
  const lock = await acquireLock(`${journalPath(ctx, o.sandbox)}.run.lock`, {
    timeoutMs: 0,
    what: `the rebuild of ${o.sandbox}`,
  });
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
      const mode = consentMode({ yes: o.yes, env: ctx.env, stdinIsTTY: ctx.ui.stdinIsTTY });
      if (mode === 'refuse')
        throw new UsageError(
          `Rebuilding ${o.sandbox} replaces its container; confirm with --yes.`,
          { hint: `Run: nemoclaw ${o.sandbox} rebuild --yes` },
        );
      if (
        mode === 'ask' &&
        !(await deps.confirm(
          `Rebuild ${o.sandbox}? Its state is saved in a snapshot first and restored after.`,
        ))
      ) {
        ctx.ui.info('Nothing was changed.');
        return 1;
      }
      journal = newJournal(o.sandbox, ctx.now());
      await writeJournal(ctx, journal);
    }
    const run: Run = { ctx, deps, journal, entry };
    const total = REBUILD_STEPS.length;
    for (const [i, step] of REBUILD_STEPS.entries()) {
      if (journal.steps[step.id]?.status === 'complete') continue;
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
    await lock.release();
  }
}

/** For status and doctor: the interrupted rebuild of a sandbox, if any. */
export async function interruptedRebuild(
  ctx: Context,
  sandbox: string,
): Promise<Journal | undefined> {
  try {
    const text = await readFile(journalPath(ctx, sandbox), 'utf8');
    const j = JournalSchema.parse(JSON.parse(text));
    return j.completedAt ? undefined : j;
  } catch {
    return undefined;
  }
}
