/**
 * Read-only views of files other areas write for a sandbox: the rebuild journal
 * (`journal/<name>.json`) and snapshot manifests (`snapshots/<name>/*.manifest.json`). Read
 * defensively: a missing folder is "none", an unreadable file is reported, never fatal.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** undefined: no journal; `{ error }`: present but unreadable. */
export async function readJournal(
  journalDir: string,
  sandbox: string,
): Promise<{ path: string; value?: unknown; error?: string } | undefined> {
  const path = join(journalDir, `${sandbox}.json`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { path, error: (e as Error).message };
  }
  try {
    return { path, value: JSON.parse(text) as unknown };
  } catch {
    return { path, error: 'not valid JSON' };
  }
}

export interface SnapshotSummary {
  id?: string;
  name?: string;
  createdAt: string;
}

/** Every readable manifest of the sandbox (unreadable ones are skipped), oldest first. */
export async function readSnapshotManifests(
  snapshotsDir: string,
  sandbox: string,
): Promise<SnapshotSummary[]> {
  const dir = join(snapshotsDir, sandbox);
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: SnapshotSummary[] = [];
  await Promise.all(
    names
      .filter((n) => n.endsWith('.manifest.json') && !n.startsWith('.'))
      .map(async (n) => {
        try {
          const m = JSON.parse(await readFile(join(dir, n), 'utf8')) as Record<string, unknown>;
          if (typeof m.createdAt === 'string' && !Number.isNaN(Date.parse(m.createdAt))) {
            out.push({
              id: typeof m.id === 'string' ? m.id : undefined,
              name: typeof m.name === 'string' ? m.name : undefined,
              createdAt: m.createdAt,
            });
          }
        } catch {
          // A manifest being written or damaged: snapshot verify reports it; status skips it.
        }
      }),
  );
  return out.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
}
