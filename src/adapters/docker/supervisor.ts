/**
 * The sandbox supervisor binary on the host (product.md §3): copied out of the supervisor image,
 * with a small record of which image it came from so a re-run does not copy (or pull) again.
 */
import { readFile, stat } from 'node:fs/promises';
import { ensurePrivateDir, writeFileAtomic } from '../state/atomic.ts';
import { dirname } from 'node:path';
import { copyFileFromImage } from './images.ts';
import type { DockerEngine } from './engine.ts';

const sourceFile = (hostPath: string) => `${hostPath}.source`;

export async function supervisorIsCurrent(hostPath: string, image: string): Promise<boolean> {
  const [bin, src] = await Promise.all([
    stat(hostPath).catch(() => undefined),
    readFile(sourceFile(hostPath), 'utf8').catch(() => undefined),
  ]);
  return !!bin?.isFile() && src?.trim() === image;
}

export async function installSupervisor(
  e: DockerEngine,
  image: string,
  pathInImage: string,
  hostPath: string,
  labels: Record<string, string>,
): Promise<void> {
  await ensurePrivateDir(dirname(hostPath));
  await copyFileFromImage(e, image, pathInImage, hostPath, labels);
  await writeFileAtomic(sourceFile(hostPath), `${image}\n`);
}
