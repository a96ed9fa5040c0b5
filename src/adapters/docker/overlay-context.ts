/**
 * What an overlay build (core/custom-overlay.ts) needs from the Engine and tar: the user image's id
 * and USER, and a build context made only of generated files (they never touch the disk).
 */
import { generatedEntries, tarEnd, type ExtraFile } from './context-extras.ts';
import { engineCall, type DockerEngine } from './engine.ts';

export async function imageIdAndUser(
  e: DockerEngine,
  ref: string,
): Promise<{ id: string; user: string | undefined }> {
  const i = await engineCall(e, () => e.docker.getImage(ref).inspect());
  return { id: i.Id, user: i.Config?.User || undefined };
}

/** A tar archive of in-memory files only (relative paths, at most 100 characters). */
export async function generatedContextTar(files: ExtraFile[]): Promise<NodeJS.ReadableStream> {
  const { Readable } = await import('node:stream');
  const parts = [...(await generatedEntries(files)), tarEnd()];
  return Readable.from([Buffer.concat(parts)]);
}
