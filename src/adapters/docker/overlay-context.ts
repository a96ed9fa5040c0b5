/**
 * What an overlay build (core/custom-overlay.ts) needs from the Engine and tar: the user image's id
 * and USER, and a build context made only of generated files (they never touch the disk).
 */
import type { ExtraFile } from './context-extras.ts';
import { engineCall, type DockerEngine } from './engine.ts';

export async function imageIdAndUser(
  e: DockerEngine,
  ref: string,
): Promise<{ id: string; user: string | undefined }> {
  const i = await engineCall(e, () => e.docker.getImage(ref).inspect());
  return { id: i.Id, user: i.Config?.User || undefined };
}

const BLOCK = 512;

/** A tar archive of in-memory files only (relative paths, at most 100 characters). */
export async function generatedContextTar(files: ExtraFile[]): Promise<NodeJS.ReadableStream> {
  const { Header } = await import('tar');
  const { Readable } = await import('node:stream');
  const parts: Buffer[] = [];
  for (const f of files) {
    if (f.path.length > 100 || f.path.startsWith('/') || f.path.includes('..')) {
      throw new Error(`generated build-context file ${f.path} is not a plain relative path`);
    }
    const data = Buffer.from(f.content, 'utf8');
    const h = new Header({
      path: f.path,
      mode: f.mode,
      size: data.length,
      mtime: new Date(0),
      type: 'File',
      uid: 0,
      gid: 0,
    });
    const block = Buffer.alloc(BLOCK);
    h.encode(block, 0);
    parts.push(block, data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Readable.from([Buffer.concat(parts)]);
}
