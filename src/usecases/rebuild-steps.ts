/**
 * The nine steps of a rebuild (product.md §10). Each is idempotent, so `rebuild --resume` can run
 * the step it was killed in again: a snapshot is retaken, a delete finds nothing, a create finds
 * the sandbox already there, a restore swaps the same content in again.
 */
import type { ResolvedBlueprint } from '../adapters/blueprint/resolve.ts';
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Context } from '../context.ts';
import { NemoclawError, UserError, errorMessage } from '../core/errors.ts';
import { sandboxProviders } from '../core/ops/channels.ts';
import { isLiveDatabaseFile, isTransientDbFile } from '../core/snapshot/live-files.ts';
import { findProvider } from '../core/providers.ts';
import type { Journal, RebuildStepId } from '../core/rebuild/journal.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import type { PolicyFiles, World } from '../world.ts';
import { createSandbox, waitCreated } from './sandbox-create.ts';

/**
 * What a rebuild reaches outside the process. `faultPause` is the test hook `<step>:<ms>` that
 * pauses at the start of that step (injected by main.ts).
 */
export type RebuildWorld = Pick<
  World,
  | 'openshell'
  | 'confirm'
  | 'extraLabels'
  | 'faultPause'
  | 'engine'
  | 'docker'
  | 'blueprints'
  | 'snapshots'
  | 'files'
  | 'interrupts'
  | keyof PolicyFiles
>;

/** The world of one rebuild: `openshell` is the client of the sandbox's gateway and workspace. */
export type RebuildDeps = Omit<RebuildWorld, 'openshell'> & { openshell: OpenshellClient };

export interface Run {
  ctx: Context;
  deps: RebuildDeps;
  journal: Journal;
  entry: SandboxEntry;
  /** Writes the journal (atomically); steps that journal sub-steps call it. */
  save(): Promise<void>;
}

async function snapshotRecord(r: Run) {
  const { resolveSnapshot } = await r.deps.snapshots();
  return resolveSnapshot(r.ctx.paths.snapshotsDir, r.entry.name, r.journal.snapshotId);
}

/** Where a sandbox's blueprint comes from: what it was made from, never silently the newest. */
export function entryBlueprintSpec(entry: SandboxEntry): { spec: string; sha256?: string } {
  return {
    spec: entry.blueprintSource ?? entry.blueprintVersion,
    sha256: entry.blueprintSha256,
  };
}

type VerifiedBlueprint = ResolvedBlueprint & { digest: string };

const resolved = new Map<string, Promise<VerifiedBlueprint>>();

/**
 * Resolves and verifies a blueprint (once per process and spec: a URL is fetched once). With
 * `dryRun` a URL's archive is checked in a temp folder and nothing is written under the home.
 */
export function verifiedBlueprintOf(
  ctx: Context,
  world: Pick<World, 'blueprints'>,
  t: { spec: string; sha256?: string; dryRun?: boolean },
): Promise<VerifiedBlueprint> {
  const key = `${t.spec}\0${t.sha256 ?? ''}\0${t.dryRun ? 'dry' : ''}`;
  let p = resolved.get(key);
  if (!p) {
    p = (async () => {
      const { resolveBlueprint, verifyOrThrow } = await world.blueprints();
      const bp = await resolveBlueprint({
        packageRoot: ctx.packageRoot,
        home: ctx.paths.home,
        spec: t.spec,
        sha256: t.sha256,
        dryRun: t.dryRun,
      });
      const v = await verifyOrThrow(bp);
      return { ...bp, digest: v.actual };
    })();
    p.catch(() => resolved.delete(key));
    resolved.set(key, p);
  }
  return p;
}

/** The blueprint the rebuild goes onto (fixed in the journal when it starts). */
export function verifiedBlueprint(r: Run) {
  return verifiedBlueprintOf(r.ctx, r.deps, r.journal.target ?? entryBlueprintSpec(r.entry));
}

/** Providers to attach again: those recorded at create, else the inference one, plus channels'. */
export function entryProviders(entry: SandboxEntry): string[] {
  // Providers recorded at create win over the one derived from the inference choice.
  const base = entry.providers ?? [];
  const inference = base.length ? undefined : findProvider(entry.provider)?.openshellName;
  return [...new Set([...base, ...sandboxProviders(inference, entry.channels)])];
}

/**
 * `rebuild --resume`: everything the remaining steps need is read and checked before the first of
 * them changes anything (issue 18 item 7): the pre-rebuild snapshot (manifest, archive, roots
 * against the blueprint's state paths) and the blueprint. A damaged file is named; nothing changes.
 */
export async function checkBeforeResume(r: Run): Promise<void> {
  if (!r.journal.snapshotId || r.journal.steps.restore?.status === 'complete') return;
  const { verifySnapshot } = await import('./snapshot-restore.ts');
  const { agentStatePaths } = await import('./snapshot.ts');
  const { listSnapshots, sandboxSnapshotDir } = await r.deps.snapshots();
  const id = r.journal.snapshotId;
  const dir = sandboxSnapshotDir(r.ctx.paths.snapshotsDir, r.entry.name);
  const refuse = (why: string, cause?: unknown) =>
    new NemoclawError(
      'integrity',
      `Cannot resume the rebuild of ${r.entry.name}: its pre-rebuild snapshot ${id} ${why}. Nothing was changed.`,
      {
        hint: `Check ${dir} (nemoclaw doctor lists damaged files). The sandbox is as it was; restore another snapshot with \`nemoclaw ${r.entry.name} snapshot list\`.`,
        cause,
      },
    );
  const { snapshots, unreadable } = await listSnapshots(r.ctx.paths.snapshotsDir, r.entry.name);
  const bad = unreadable.find((u) => u.manifestPath.includes(id));
  if (bad) throw refuse(`cannot be read (${bad.manifestPath}: ${bad.problem})`);
  const rec = snapshots.find((s) => s.id === id);
  if (!rec) throw refuse(`is missing from ${dir}`);
  try {
    await verifySnapshot(r.deps, rec, await agentStatePaths(r.ctx, r.deps, r.entry));
  } catch (e) {
    throw refuse(`is damaged (${rec.archivePath}): ${errorMessage(e)}`, e);
  }
  await verifiedBlueprint(r);
}

/** The steps up to the verified restore; rebuild-migrate.ts holds the last two. */
export const STEPS: Record<
  Exclude<RebuildStepId, 'migrate' | 'healthy'>,
  (r: Run) => Promise<string>
> = {
  async snapshot(r) {
    const { agentStatePaths } = await import('./snapshot.ts');
    const { createSnapshot } = await import('./snapshot-create.ts');
    const live = await r.deps.openshell.sandboxGet(r.entry.name);
    if (live?.phase !== 'Ready') {
      throw new UserError(
        `Sandbox ${r.entry.name} is ${live ? `in phase ${live.phase}` : 'missing'}; a rebuild starts from a Ready sandbox so that nothing is lost.`,
        {
          hint: `Bring it back with: nemoclaw ${r.entry.name} recover; or restore a snapshot into a new sandbox.`,
        },
      );
    }
    const res = await createSnapshot(r.deps, {
      snapshotsDir: r.ctx.paths.snapshotsDir,
      source: r.entry,
      statePaths: await agentStatePaths(r.ctx, r.deps, r.entry),
      name: `pre-rebuild-${r.ctx.now().toISOString().replace(/[:.]/g, '-')}`,
      now: r.ctx.now(),
      onProgress: (l) => r.ctx.ui.info(`  ${l}`),
    });
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
    const { verifySnapshot } = await import('./snapshot-restore.ts');
    const { agentStatePaths } = await import('./snapshot.ts');
    const rec = await snapshotRecord(r);
    await verifySnapshot(r.deps, rec, await agentStatePaths(r.ctx, r.deps, r.entry));
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
    const { agentConfigFor, instanceFor, INSTANCE_LABEL } = await import('./agent-config.ts');
    const engine = await r.deps.engine();
    const deps = {
      docker: () => r.deps.docker(),
      blueprints: () => r.deps.blueprints(),
      engine,
      env: r.ctx.env,
      onProgress: (l: string) => r.ctx.ui.info(`  ${l}`),
      onWarning: (w: string) => r.ctx.ui.warn(w),
      // The build log goes to the log file (stderr with --verbose), as in onboarding.
      onBuildLog: (line: string) => r.ctx.log.info({ image: true, line }, 'image build'),
    };
    let res;
    if (r.entry.fromDockerfile) {
      // A `--from` image is rebuilt from its own Dockerfile, not replaced by the blueprint's.
      const { buildConfiguredCustomImage } = await import('./custom-image-overlay.ts');
      const e = r.entry;
      res = await buildConfiguredCustomImage(deps, {
        dockerfile: e.fromDockerfile!,
        agent: e.agent,
        extraLabels: r.deps.extraLabels,
        config: { blueprint: await verifiedBlueprint(r), sandbox: e.name, provider: e.provider, model: e.model, hostPort: e.dashboardPort, channels: [] }, // prettier-ignore
        previousImage: e.image,
      });
    } else {
      const bp = await verifiedBlueprint(r);
      const instance = await instanceFor(r.deps, engine, r.entry.image);
      res = await buildSandboxImage(deps, {
        blueprint: bp,
        blueprintDigest: bp.digest,
        agent: r.entry.agent,
        extraLabels: { ...r.deps.extraLabels, [INSTANCE_LABEL]: instance },
        agentConfig: await agentConfigFor(r.deps, {
          blueprint: bp,
          agent: r.entry.agent,
          sandbox: r.entry.name,
          provider: r.entry.provider,
          model: r.entry.model,
          hostPort: r.entry.dashboardPort,
          channels: r.entry.channels,
          instance,
        }),
      });
    }
    r.journal.image = res.tag;
    const pushed = await (
      await import('./rebuild-push.ts')
    ).pushRebuiltImage(r, r.deps, engine, res.tag);
    return `${res.built ? `built ${res.tag}` : `${res.tag} (cached)`}${pushed}`;
  },
  async create(r) {
    const live = await r.deps.openshell.sandboxGet(r.entry.name);
    if (live && ['Ready', 'Provisioning', 'Starting'].includes(String(live.phase)))
      return 'already created';
    if (live) await r.deps.openshell.sandboxDelete(r.entry.name); // a failed half-create holds nothing of the user's
    const bp = await verifiedBlueprint(r);
    const { profileResources } = await import('../core/blueprint/profiles.ts');
    const { agentEnvFor } = await import('./agent-config.ts');
    await createSandbox(r.deps, r.deps.openshell, {
      name: r.entry.name,
      image: r.journal.image ?? r.entry.image,
      agent: r.entry.agent,
      blueprint: bp.blueprint,
      presets: r.entry.presets,
      customPolicies: r.entry.customPolicies,
      providers: entryProviders(r.entry),
      gpu: r.entry.gpu,
      resources: profileResources(bp.blueprint, r.entry.profile),
      agentEnv: await agentEnvFor(r.deps, bp, r.entry.agent), // --from images carry the config too
      dashboardPort: r.entry.dashboardPort,
    });
    return `created ${r.entry.name}`;
  },
  async ready(r) {
    await waitCreated(
      r.ctx,
      r.deps.openshell,
      r.entry.name,
      `run: nemoclaw ${r.entry.name} rebuild --resume`,
    );
    return 'Ready';
  },
  async restore(r) {
    // Resumed after a kill between the restart's stop and start: the upload needs it running.
    if ((await r.deps.openshell.sandboxGet(r.entry.name))?.phase === 'Stopped') {
      await r.deps.openshell.sandboxStart(r.entry.name);
      await waitCreated(
        r.ctx,
        r.deps.openshell,
        r.entry.name,
        `run: nemoclaw ${r.entry.name} rebuild --resume`,
      );
    }
    const { restoreSnapshot } = await import('./snapshot-restore.ts');
    const { sandboxSnapshotDir } = await r.deps.snapshots();
    const { agentStatePaths } = await import('./snapshot.ts');
    const rec = await snapshotRecord(r);
    const res = await restoreSnapshot(r.deps, {
      record: rec,
      sandbox: r.entry.name,
      statePaths: await agentStatePaths(r.ctx, r.deps, r.entry),
      workDir: sandboxSnapshotDir(r.ctx.paths.snapshotsDir, r.entry.name),
      onProgress: (l) => r.ctx.ui.info(`  ${l}`),
      onWarning: (await import('./plan-hooks.ts')).reportingHooks(r.ctx).onWarning,
    });
    for (const s of res.skipped) r.ctx.ui.info(`  skipped ${s.path}: ${s.reason}`);
    if (res.restored.length > 0) {
      // The agent started with empty state and may hold its databases open: restart the sandbox's
      // main process so that it opens the restored files (the real openclaw's gateway fails on a
      // SQLite file swapped under it). OpenShell's stop/start keeps the sandbox's files.
      r.ctx.ui.info('  restarting the agent on the restored state');
      await r.deps.openshell.sandboxStop(r.entry.name);
      await r.deps.openshell.sandboxStart(r.entry.name);
      await waitCreated(
        r.ctx,
        r.deps.openshell,
        r.entry.name,
        `run: nemoclaw ${r.entry.name} rebuild --resume`,
      );
    }
    return `restored ${res.restored.length} path(s)`;
  },
  async policies(r) {
    const { ensurePolicies } = await import('./policy-restore.ts');
    const res = await ensurePolicies(
      r.ctx,
      { openshell: r.deps.openshell, presets: () => r.deps.presets(), files: r.deps.files },
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
      for (const f of batch) {
        const have = got.get(f.path);
        // A live database changes as soon as the agent opens it again: present is what counts.
        if (
          isLiveDatabaseFile(f.path)
            ? have === undefined && !isTransientDbFile(f.path)
            : have !== f.sha256
        )
          mismatched.push(`/${f.path}`);
      }
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
    // The dashboard forward went with the old sandbox; bring it back as recover does.
    const { ensureForward } = await import('./sandbox-session.ts');
    await ensureForward(r.ctx, r.deps.openshell, r.entry);
    return `${files.length} file(s) match the snapshot`;
  },
};
