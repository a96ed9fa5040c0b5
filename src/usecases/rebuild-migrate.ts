/**
 * The last two steps of a rebuild onto a newer blueprint (issue 15): the target blueprint's
 * migrations run in the new sandbox on the restored state, each journaled, then the sandbox is
 * checked healthy. A failed migration keeps the pre-upgrade snapshot and says how to roll back.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pendingMigrations } from '../core/blueprint/diff.ts';
import type { Migration } from '../core/blueprint/schema.ts';
import { NemoclawError } from '../core/errors.ts';
import { verifiedBlueprint, type Run } from './rebuild-steps.ts';

const MIGRATION_TIMEOUT_SECS = 600;

/** The migrations this rebuild runs (none for a rollback or a rebuild onto the same version). */
export async function migrationsOf(r: Run): Promise<Migration[]> {
  if (r.journal.mode === 'rollback') return [];
  const bp = await verifiedBlueprint(r);
  const from = r.journal.from?.blueprintVersion ?? r.entry.blueprintVersion;
  return pendingMigrations(bp.blueprint, from, r.entry.agent);
}

async function argvOf(r: Run, m: Migration): Promise<string[]> {
  if (Array.isArray(m.run)) return m.run;
  const bp = await verifiedBlueprint(r); // the script is part of the verified tree
  return ['sh', '-c', await readFile(join(bp.dir, m.run), 'utf8')];
}

export const MIGRATE_STEPS = {
  async migrate(r: Run): Promise<string> {
    const list = await migrationsOf(r);
    if (list.length === 0) return 'no migrations to run';
    const j = r.journal;
    j.migrations ??= {};
    for (const m of list) {
      if (j.migrations[m.id]?.status === 'complete') continue;
      r.ctx.ui.info(`  migration ${m.id}: ${m.description}`);
      j.migrations[m.id] = { status: 'in_progress', at: r.ctx.now().toISOString() };
      await r.save();
      const res = await r.deps.openshell.sandboxExec(r.entry.name, await argvOf(r, m), {
        timeoutSecs: MIGRATION_TIMEOUT_SECS,
      });
      if (res.exitCode !== 0) {
        const why = (res.stderr || res.stdout).trim().split('\n').slice(-3).join(' | ');
        j.migrations[m.id] = {
          status: 'failed',
          at: r.ctx.now().toISOString(),
          error: `exit ${res.exitCode}`,
        };
        await r.save();
        throw new NemoclawError(
          'failed',
          `Migration ${m.id} failed with exit code ${res.exitCode}${why ? `: ${why}` : ''}`,
          {
            hint: `The pre-upgrade snapshot ${j.snapshotId} is kept. Roll back with: nemoclaw ${r.entry.name} rebuild --rollback`,
          },
        );
      }
      j.migrations[m.id] = { status: 'complete', at: r.ctx.now().toISOString() };
      await r.save();
    }
    return `migrations: ${list.map((m) => m.id).join(', ')}`;
  },
  async healthy(r: Run): Promise<string> {
    const live = await r.deps.openshell.sandboxGet(r.entry.name);
    if (live?.phase !== 'Ready')
      throw new NemoclawError(
        'failed',
        `Sandbox ${r.entry.name} is not Ready after the migrations (phase ${live?.phase ?? 'missing'}).`,
        { hint: `See why with: nemoclaw ${r.entry.name} logs` },
      );
    const res = await r.deps.openshell.sandboxExec(r.entry.name, ['true'], { timeoutSecs: 60 });
    if (res.exitCode !== 0)
      throw new NemoclawError('failed', `Sandbox ${r.entry.name} does not run commands.`, {
        hint: `See why with: nemoclaw ${r.entry.name} logs`,
      });
    return 'Ready and answering';
  },
};
