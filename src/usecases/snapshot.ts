/**
 * `<name> snapshot create|list|restore|verify|delete` and `backup-all` (product.md §10): thin use
 * cases over src/adapters/snapshot. Results go to stdout, progress to stderr; every restore says
 * what it restored and what it skipped, and why.
 */
import type { Context } from '../context.ts';
import { ask, assertCanAsk, consentMode } from '../core/consent.ts';
import { NemoclawError, errorMessage } from '../core/errors.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import { requireEntry } from './registry-entry.ts';
import type { SkippedPath } from '../core/snapshot/manifest.ts';
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { World } from '../world.ts';

export type SnapshotClient = Pick<
  OpenshellClient,
  'sandboxDownload' | 'sandboxUpload' | 'sandboxExec' | 'sandboxGet'
>;

/** What the snapshot use cases reach besides OpenShell: the store, blueprints and Ctrl-C notes. */
export type SnapshotAreas = Pick<World, 'snapshots' | 'blueprints' | 'interrupts'>;

export interface SnapshotDeps extends SnapshotAreas {
  /** Each call goes to the named sandbox's own client (its gateway and workspace). */
  openshell: SnapshotClient;
  /** Asks a yes/no question; only called when a terminal is there and --yes was not given. */
  confirm(message: string): Promise<boolean>;
}

/** The snapshot use cases' view of the world; a client is reached only when a sandbox is. */
export function snapshotDepsOf(
  world: Pick<World, 'sandboxClient' | 'confirm'> & SnapshotAreas,
): SnapshotDeps {
  const of = (name: string) => world.sandboxClient(name);
  return {
    snapshots: () => world.snapshots(),
    blueprints: () => world.blueprints(),
    interrupts: () => world.interrupts(),
    openshell: {
      sandboxGet: async (...a) => (await of(a[0])).sandboxGet(...a),
      sandboxDownload: async (...a) => (await of(a[0])).sandboxDownload(...a),
      sandboxUpload: async (...a) => (await of(a[0])).sandboxUpload(...a),
      sandboxExec: async (...a) => (await of(a[0])).sandboxExec(...a),
    },
    confirm: (m) => world.confirm(m),
  };
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

async function registered(ctx: Context, sandbox: string): Promise<SandboxEntry> {
  return requireEntry(ctx, sandbox);
}

/** The agent's state paths from the sandbox's own blueprint version, verified before use. */
export async function agentStatePaths(
  ctx: Context,
  world: Pick<World, 'blueprints'>,
  entry: SandboxEntry,
  agent: SandboxEntry['agent'] = entry.agent,
): Promise<string[]> {
  const { resolveBlueprint, verifyOrThrow } = await world.blueprints();
  const bp = await resolveBlueprint({
    packageRoot: ctx.packageRoot,
    home: ctx.paths.home,
    spec: entry.blueprintSource ?? entry.blueprintVersion,
    sha256: entry.blueprintSha256,
  });
  await verifyOrThrow(bp);
  return bp.blueprint.agents[agent].state_paths;
}

async function requireReady(deps: SnapshotDeps, sandbox: string): Promise<void> {
  const sb = await deps.openshell.sandboxGet(sandbox);
  if (!sb) {
    throw new NemoclawError('not-found', `Sandbox "${sandbox}" does not exist in OpenShell.`, {
      hint: `Its snapshots are kept. Recreate it with \`nemoclaw ${sandbox} rebuild\`, or see \`nemoclaw ${sandbox} status\`.`,
    });
  }
  if (sb.phase !== 'Ready') {
    throw new NemoclawError('unavailable', `Sandbox "${sandbox}" is ${sb.phase}, not Ready.`, {
      hint: `Bring it back with \`nemoclaw ${sandbox} recover\`, then run this again.`,
    });
  }
}

function printSkipped(ctx: Context, skipped: readonly { path: string; reason: string }[]): void {
  if (skipped.length === 0) return;
  ctx.ui.out('Skipped:');
  for (const s of skipped) ctx.ui.out(`  ${s.path}: ${s.reason}`);
}

async function createFor(ctx: Context, deps: SnapshotDeps, entry: SandboxEntry, name?: string) {
  await requireReady(deps, entry.name);
  const statePaths = await agentStatePaths(ctx, deps, entry);
  const { createSnapshot } = await import('./snapshot-create.ts');
  return createSnapshot(deps, {
    snapshotsDir: ctx.paths.snapshotsDir,
    source: entry,
    statePaths,
    name,
    now: ctx.now(),
    onProgress: (l) => ctx.ui.info(l),
  });
}

const incomplete = (skipped: SkippedPath[]) => skipped.filter((s) => s.code === 'failed');

export async function snapshotCreate(
  ctx: Context,
  deps: SnapshotDeps,
  o: { sandbox: string; name?: string; json?: boolean },
): Promise<number> {
  const entry = await registered(ctx, o.sandbox);
  const end = (await deps.interrupts()).noteActivity(
    `creating a snapshot of ${o.sandbox}`,
    `No snapshot was listed; its partial archive is removed by the next create or \`nemoclaw gc\`. Run again: nemoclaw ${o.sandbox} snapshot create`,
  );
  const r = await createFor(ctx, deps, entry, o.name).finally(end);
  const m = r.record.manifest;
  const files = m.files.filter((f) => f.type !== 'dir');
  const failed = incomplete(r.skipped);
  if (o.json) {
    ctx.ui.json({
      schemaVersion: 1,
      sandbox: o.sandbox,
      id: m.id,
      name: m.name,
      archive: r.record.archivePath,
      files: files.length,
      bytes: files.reduce((n, f) => n + f.size, 0),
      roots: m.roots.map((x) => x.path),
      skipped: r.skipped,
      complete: failed.length === 0,
    });
  } else {
    ctx.ui.out(`Snapshot ${m.id}${m.name ? ` (${m.name})` : ''} of ${o.sandbox}`);
    ctx.ui.out(
      `  ${files.length} files, ${formatBytes(files.reduce((n, f) => n + f.size, 0))}, archive ${formatBytes(m.archive.size)}`,
    );
    ctx.ui.out('Saved:');
    for (const root of m.roots) ctx.ui.out(`  ${root.path}`);
    printSkipped(ctx, r.skipped);
  }
  if (failed.length > 0) {
    ctx.ui.error(
      `Error: ${failed.length} state path(s) could not be saved; the snapshot is incomplete.`,
    );
    ctx.ui.error(
      `  Check them in the sandbox (nemoclaw ${o.sandbox} exec -- ls -la <path>) and run snapshot create again.`,
    );
    return 1;
  }
  return 0;
}

export async function snapshotList(
  ctx: Context,
  world: Pick<World, 'snapshots'>,
  o: { sandbox: string; json?: boolean },
): Promise<number> {
  await registered(ctx, o.sandbox);
  const { listSnapshots } = await world.snapshots();
  const { snapshots, unreadable } = await listSnapshots(ctx.paths.snapshotsDir, o.sandbox);
  for (const u of unreadable)
    ctx.ui.warn(`Unreadable snapshot manifest ${u.manifestPath} (${u.problem}); left as it is.`);
  const rows = snapshots.map((s) => {
    const files = s.manifest.files.filter((f) => f.type !== 'dir');
    return {
      version: `v${s.version}`,
      id: s.id,
      name: s.name,
      createdAt: s.createdAt,
      agent: s.manifest.agent,
      blueprintVersion: s.manifest.blueprint.version,
      files: files.length,
      bytes: files.reduce((n, f) => n + f.size, 0),
      archiveBytes: s.manifest.archive.size,
      complete: incomplete(s.manifest.skipped).length === 0,
    };
  });
  if (o.json) {
    ctx.ui.json({ schemaVersion: 1, sandbox: o.sandbox, snapshots: rows, unreadable });
    return 0;
  }
  if (rows.length === 0) {
    ctx.ui.out(
      `No snapshots of ${o.sandbox}. Make one with: nemoclaw ${o.sandbox} snapshot create`,
    );
    return 0;
  }
  ctx.ui.out(`Snapshots of ${o.sandbox} (oldest first):`);
  for (const r of rows) {
    const when = r.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    const flag = r.complete ? '' : '  (incomplete)';
    ctx.ui.out(
      `  ${r.version.padEnd(4)} ${r.id}  ${when}  ${(r.name ?? '-').padEnd(16)} ${r.files} files, ${formatBytes(r.bytes)}${flag}`,
    );
  }
  return 0;
}

export async function snapshotRestore(
  ctx: Context,
  deps: SnapshotDeps,
  o: { sandbox: string; selector?: string; yes?: boolean },
): Promise<number> {
  const consent = {
    yes: o.yes,
    destructive: true,
    env: ctx.env,
    stdinIsTTY: ctx.ui.stdinIsTTY,
    retry: `nemoclaw ${o.sandbox} snapshot restore ${o.selector ?? 'latest'}`,
  };
  assertCanAsk('Restore replaces the agent state in the sandbox', consent);
  const answered = consentMode(consent) === 'proceed';
  const entry = await registered(ctx, o.sandbox);
  const { resolveSnapshot, sandboxSnapshotDir } = await deps.snapshots();
  const record = await resolveSnapshot(ctx.paths.snapshotsDir, o.sandbox, o.selector);
  if (record.manifest.agent !== entry.agent) {
    throw new NemoclawError(
      'invalid',
      `Snapshot ${record.id} holds ${record.manifest.agent} state, but ${o.sandbox} runs ${entry.agent}.`,
      { hint: `Pick a snapshot of ${entry.agent}: nemoclaw ${o.sandbox} snapshot list` },
    );
  }
  await requireReady(deps, o.sandbox);
  // The only places a restore writes: the agent's state paths from its blueprint, never the
  // manifest's word (a blueprint that cannot be read stops the restore).
  const statePaths = await agentStatePaths(ctx, deps, entry);
  const { restoreSnapshot } = await import('./snapshot-restore.ts');
  const { reportingHooks } = await import('./plan-hooks.ts');
  const end = (await deps.interrupts()).noteActivity(
    `restoring snapshot ${record.id} into ${o.sandbox}`,
    `The snapshot is unchanged; paths not yet replaced are as they were. Run again: nemoclaw ${o.sandbox} snapshot restore ${record.id} --yes`,
  );
  const r = await restoreSnapshot(deps, {
    record,
    sandbox: o.sandbox,
    statePaths,
    workDir: sandboxSnapshotDir(ctx.paths.snapshotsDir, o.sandbox),
    onProgress: (l) => ctx.ui.info(l),
    onWarning: reportingHooks(ctx).onWarning,
    confirm: async (plan) => {
      if (answered) return true;
      ctx.ui.info(
        `Snapshot ${record.id} (v${record.version}${record.name ? `, ${record.name}` : ''}) verified. It will replace:`,
      );
      for (const p of plan.restore) ctx.ui.info(`  ${p.path}`);
      return ask(`Replace these paths in ${o.sandbox}?`, {
        ...consent,
        confirm: (q) => deps.confirm(q),
      });
    },
  }).finally(end);
  if (!r.applied) {
    ctx.ui.info('Nothing was changed.');
    return 1;
  }
  ctx.ui.out(`Restored snapshot ${record.id} into ${o.sandbox}:`);
  for (const p of r.restored) ctx.ui.out(`  ${p.path} (${p.files} files, ${formatBytes(p.bytes)})`);
  printSkipped(ctx, r.skipped);
  return 0;
}

export async function snapshotVerify(
  ctx: Context,
  world: Pick<World, 'snapshots' | 'blueprints'>,
  o: { sandbox: string; selector?: string; json?: boolean },
): Promise<number> {
  const entry = await registered(ctx, o.sandbox);
  const { resolveSnapshot } = await world.snapshots();
  const { verifySnapshot } = await import('./snapshot-restore.ts');
  const record = await resolveSnapshot(ctx.paths.snapshotsDir, o.sandbox, o.selector);
  const statePaths = await agentStatePaths(ctx, world, entry, record.manifest.agent);
  const v = await verifySnapshot(world, record, statePaths);
  if (o.json) ctx.ui.json({ schemaVersion: 1, sandbox: o.sandbox, ok: true, ...v });
  else
    ctx.ui.out(
      `Snapshot ${v.id} verified: archive sha256 ${v.archiveSha256}, ${v.files} files, ${formatBytes(v.bytes)}.`,
    );
  return 0;
}

export async function snapshotDelete(
  ctx: Context,
  deps: Pick<SnapshotDeps, 'confirm' | 'snapshots'>,
  o: { sandbox: string; selector: string; yes?: boolean },
): Promise<number> {
  const consent = {
    yes: o.yes,
    destructive: true,
    env: ctx.env,
    stdinIsTTY: ctx.ui.stdinIsTTY,
    retry: `nemoclaw ${o.sandbox} snapshot delete ${o.selector}`,
  };
  assertCanAsk(`Deleting snapshot ${o.selector} of ${o.sandbox}`, consent);
  const { resolveSnapshot, deleteSnapshotFiles } = await deps.snapshots();
  const record = await resolveSnapshot(ctx.paths.snapshotsDir, o.sandbox, o.selector);
  const question = `Delete snapshot ${record.id}${record.name ? ` (${record.name})` : ''} of ${o.sandbox}? It cannot be undone.`;
  if (!(await ask(question, { ...consent, confirm: (q) => deps.confirm(q) }))) {
    ctx.ui.info('Nothing was deleted.');
    return 1;
  }
  await deleteSnapshotFiles(record);
  ctx.ui.out(
    `Deleted snapshot ${record.id}${record.name ? ` (${record.name})` : ''} of ${o.sandbox}.`,
  );
  return 0;
}

/** A snapshot of every registered sandbox; one failure does not stop the others. */
export async function backupAll(
  ctx: Context,
  deps: SnapshotDeps,
  o: { json?: boolean },
): Promise<number> {
  const reg = await ctx.registry().read();
  const names = Object.keys(reg.sandboxes).sort();
  const results: {
    sandbox: string;
    ok: boolean;
    id?: string;
    skipped?: SkippedPath[];
    error?: string;
  }[] = [];
  for (const name of names) {
    try {
      const r = await createFor(ctx, deps, reg.sandboxes[name]!);
      const failed = incomplete(r.skipped);
      results.push({
        sandbox: name,
        ok: failed.length === 0,
        id: r.record.id,
        skipped: r.skipped,
        error:
          failed.length > 0 ? `incomplete: ${failed.map((f) => f.path).join(', ')}` : undefined,
      });
    } catch (e) {
      ctx.log.error({ sandbox: name, err: errorMessage(e) }, 'backup-all: snapshot failed');
      results.push({ sandbox: name, ok: false, error: errorMessage(e) });
    }
  }
  if (o.json) {
    ctx.ui.json({ schemaVersion: 1, results });
  } else if (names.length === 0) {
    ctx.ui.out('No sandboxes registered; nothing to back up.');
  } else {
    for (const r of results) {
      ctx.ui.out(r.ok ? `ok      ${r.sandbox}: ${r.id}` : `FAILED  ${r.sandbox}: ${r.error}`);
      for (const s of r.skipped ?? [])
        if (s.code !== 'absent') ctx.ui.out(`          skipped ${s.path}: ${s.reason}`);
    }
  }
  return results.every((r) => r.ok) ? 0 : 1;
}
