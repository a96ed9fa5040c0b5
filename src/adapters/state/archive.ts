/**
 * Writes a tar.gz of in-memory text entries (the debug bundle). Entries are staged in a private temp
 * folder, packed to a temp name next to the destination, made 0600 and renamed into place, so a
 * reader never sees a half-written archive and nobody else can read it.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

export async function writeTextTarGz(
  out: string,
  entries: { path: string; text: string }[],
): Promise<void> {
  const { create } = await import('tar');
  const stage = await mkdtemp(join(tmpdir(), 'nemoclaw-debug-'));
  const tmp = join(dirname(out), `.${basename(out)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    for (const e of entries) {
      const p = join(stage, e.path);
      await mkdir(dirname(p), { recursive: true, mode: 0o700 });
      await writeFile(p, e.text, { mode: 0o600 });
    }
    await mkdir(dirname(out), { recursive: true });
    await create(
      { gzip: true, cwd: stage, file: tmp, portable: true },
      entries.map((e) => e.path),
    );
    await chmod(tmp, 0o600);
    await rename(tmp, out);
  } finally {
    await rm(stage, { recursive: true, force: true });
    await rm(tmp, { force: true });
  }
}
