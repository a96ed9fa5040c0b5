/**
 * Build contexts: a folder walked into a file list (optionally filtered), hashed, and streamed to
 * the Engine as a tar archive — never copied to a temp folder.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { NemoclawError } from '../../core/errors.ts';
import { formatLimit, INPUT_LIMITS } from '../../core/limits.ts';

export interface ContextFile {
  path: string; // relative, '/'-separated
  size: number;
  sha256: string;
}

export interface BuildContext {
  root: string;
  files: ContextFile[];
  excluded: string[];
  totalBytes: number;
}

/** Walks `root`; `exclude` sees relative paths and prunes whole folders. */
export async function collectContext(
  root: string,
  exclude: (relPath: string) => boolean = () => false,
): Promise<BuildContext> {
  const files: ContextFile[] = [];
  const excluded: string[] = [];
  let totalBytes = 0;
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(root, rel), { withFileTypes: true });
    for (const ent of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (exclude(r)) {
        excluded.push(ent.isDirectory() ? `${r}/` : r);
        continue;
      }
      const full = join(root, r);
      if (files.length >= INPUT_LIMITS.contextFiles || totalBytes > INPUT_LIMITS.contextBytes)
        throw new NemoclawError(
          'invalid',
          `The build context ${root} has more than ${INPUT_LIMITS.contextFiles} files or ${formatLimit(INPUT_LIMITS.contextBytes)}; nothing was built.`,
          { hint: 'Put the Dockerfile in a folder that holds only what the image needs.' },
        );
      if (ent.isDirectory()) await walk(r);
      else if (ent.isSymbolicLink()) {
        const target = await readlink(full);
        files.push({ path: r, size: 0, sha256: sha256(`symlink:${target}`) });
      } else if (ent.isFile()) {
        const st = await lstat(full);
        totalBytes += st.size;
        files.push({ path: r, size: st.size, sha256: await hashFile(full) });
      }
      // Sockets, FIFOs and devices are never part of a context.
    }
  };
  await walk('');
  return { root, files, excluded, totalBytes };
}

/** A tar stream of exactly the listed files, with stable owner and times so a rebuild can hit the cache. */
export async function contextTarStream(ctx: BuildContext): Promise<NodeJS.ReadableStream> {
  const tar = await import('tar');
  return tar.create(
    { cwd: ctx.root, portable: true, noDirRecurse: true, mtime: new Date(0) },
    ctx.files.map((f) => f.path),
  ) as unknown as NodeJS.ReadableStream;
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
