/**
 * A build context plus files generated in memory (the agent's configuration): the folder's tar with
 * the generated entries appended before its end marker. Generated content never touches the disk.
 */
import type { BuildContext } from './build-context.ts';
import { contextTarStream } from './build-context.ts';

export interface ExtraFile {
  /** Relative, '/'-separated, at most 100 characters. */
  path: string;
  content: string;
  mode: number;
}

const BLOCK = 512;

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer | string>) {
    chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  }
  return Buffer.concat(chunks);
}

/**
 * The tar blocks of generated files (header, content, padding), for an archive that already holds
 * the paths in `known`: a generated file may neither replace one of them nor leave the context.
 */
export async function generatedEntries(
  files: ExtraFile[],
  known: ReadonlySet<string> = new Set(),
): Promise<Buffer[]> {
  const { Header } = await import('tar');
  const parts: Buffer[] = [];
  for (const f of files) {
    if (
      known.has(f.path) ||
      f.path.length > 100 ||
      f.path.startsWith('/') ||
      f.path.includes('..')
    ) {
      throw new Error(
        `generated build-context file ${f.path} collides or is not a plain relative path`,
      );
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
  return parts;
}

/** A tar archive's end: two zero blocks. */
export const tarEnd = (): Buffer => Buffer.alloc(BLOCK * 2);

export async function contextTarWithExtras(
  ctx: BuildContext,
  extras: ExtraFile[],
): Promise<NodeJS.ReadableStream> {
  const { Readable } = await import('node:stream');
  const base = await collect(await contextTarStream(ctx));
  // A tar archive ends with two zero blocks (node-tar writes exactly those); drop them to append.
  let end = base.length;
  while (end >= BLOCK && base.subarray(end - BLOCK, end).every((b) => b === 0)) end -= BLOCK;
  const known = new Set(ctx.files.map((f) => f.path));
  const parts = [base.subarray(0, end), ...(await generatedEntries(extras, known)), tarEnd()];
  return Readable.from([Buffer.concat(parts)]);
}
