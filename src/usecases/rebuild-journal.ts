/**
 * The rebuild journal on disk (product.md §10): `<journalDir>/<name>.json` while a rebuild runs or
 * was interrupted, `<name>.done.json` for the last finished one (`rebuild --rollback`). Written
 * atomically through the world's JSON files.
 */
import { join } from 'node:path';
import type { Context } from '../context.ts';
import { JOURNAL_SCHEMA_VERSION, JournalSchema, type Journal } from '../core/rebuild/journal.ts';
import type { World } from '../world.ts';

/** Where the rebuild journal lives: the JSON files of the home. */
type JournalFiles = Pick<World, 'files'>;

/** The record of the last finished rebuild, kept for `rebuild --rollback`. */
export function doneJournalPath(ctx: Context, sandbox: string): string {
  return join(ctx.paths.journalDir, `${sandbox}.done.json`);
}

export function journalPath(ctx: Context, sandbox: string): string {
  return join(ctx.paths.journalDir, `${sandbox}.json`);
}

function journalSpec(ctx: Context, sandbox: string, path = journalPath(ctx, sandbox)) {
  return {
    path,
    what: `the rebuild journal of ${sandbox}`,
    schema: JournalSchema as never,
    schemaVersion: JOURNAL_SCHEMA_VERSION,
    empty: () => undefined as unknown as Journal,
  };
}

export async function readJournal(
  ctx: Context,
  world: JournalFiles,
  sandbox: string,
): Promise<Journal | undefined> {
  const { readJsonFile } = await world.files();
  return (await readJsonFile<Journal>(journalSpec(ctx, sandbox))) ?? undefined;
}

export async function writeJournal(
  ctx: Context,
  world: JournalFiles,
  j: Journal,
  path?: string,
): Promise<void> {
  const { writeJsonFile } = await world.files();
  j.updatedAt = ctx.now().toISOString();
  await writeJsonFile<Journal>(journalSpec(ctx, j.sandbox, path), j);
}

export async function readDoneJournal(
  ctx: Context,
  world: JournalFiles,
  sandbox: string,
): Promise<Journal | undefined> {
  const { readJsonFile } = await world.files();
  const spec = journalSpec(ctx, sandbox, doneJournalPath(ctx, sandbox));
  return (await readJsonFile<Journal>(spec).catch(() => undefined)) ?? undefined;
}
