/**
 * Writes a snapshot archive: tar framing encoded by the `tar` package (Header, and Pax for long
 * names), file bodies streamed from a small pool of reused buffers into gzip, each file hashed as
 * it passes and the compressed stream hashed on its way to disk.
 *
 * Why not `tar.c`: it allocates a fresh buffer per read and hands it on, so garbage grows with the
 * workspace until the collector runs, which put peak RSS near the 150 MB budget on 1 GiB; it also
 * widens folder modes (r → x) so the archive would not match the manifest for an odd folder, and
 * it needs a second full read to hash the files. Here the archive holds exactly what the manifest
 * records, and nothing is read twice.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, type ZlibOptions } from 'node:zlib';
import type { WalkEntry } from './tree.ts';

const BLOCK = 512;
const CHUNK = 256 * 1024;
/** Buffers in flight: one being read while others are compressed on the thread pool. */
const POOL = 3;

/** Counts and hashes what flows through, for the archive's sha256 without a second read. */
export class HashingPassThrough extends Transform {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}

class BufferPool {
  readonly #free: Buffer[] = [];
  readonly #waiting: ((b: Buffer) => void)[] = [];
  constructor(n: number, size: number) {
    for (let i = 0; i < n; i++) this.#free.push(Buffer.allocUnsafe(size));
  }
  acquire(): Promise<Buffer> {
    const b = this.#free.pop();
    if (b) return Promise.resolve(b);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
  release(b: Buffer): void {
    const w = this.#waiting.shift();
    if (w) w(b);
    else this.#free.push(b);
  }
}

export interface PackResult {
  sha256: string;
  size: number;
}

/**
 * Packs `entries` (in order) into `out`, created exclusively with mode 0600 and fsynced. Fills in
 * `sha256` of every file entry. Fails if a file's size changed since the walk.
 */
export async function packEntries(entries: WalkEntry[], out: string): Promise<PackResult> {
  const { Header, Pax } = await import('tar');
  // Room for the pool's chunks, so reading the next chunk overlaps compressing the last ones.
  // (Node's zlib streams take stream options; its ZlibOptions type does not list them.)
  const gzipOptions: ZlibOptions & { writableHighWaterMark: number } = {
    level: 6,
    writableHighWaterMark: POOL * CHUNK,
  };
  const gzip = createGzip(gzipOptions);
  const hasher = new HashingPassThrough();
  const done = pipeline(gzip, hasher, createWriteStream(out, { flags: 'wx', mode: 0o600 }));
  let failed: unknown;
  const settled = done.catch((e: unknown) => {
    failed ??= e;
  });
  const pool = new BufferPool(POOL, CHUNK);

  /** Queues a chunk, honouring backpressure; `after` runs once zlib has consumed it. */
  const write = async (chunk: Buffer, after?: () => void): Promise<void> => {
    if (failed) throw failed;
    const ok = gzip.write(chunk, (e) => {
      after?.();
      if (e) failed ??= e;
    });
    if (!ok) await Promise.race([once(gzip, 'drain'), settled]);
    if (failed) throw failed;
  };

  for (const e of entries) {
    const h = new Header({
      path: e.type === 'dir' ? `${e.path}/` : e.path,
      mode: e.mode,
      size: e.type === 'file' ? e.size : 0,
      mtime: e.mtime,
      type: e.type === 'file' ? 'File' : e.type === 'dir' ? 'Directory' : 'SymbolicLink',
      linkpath: e.target,
      uid: 0,
      gid: 0,
    });
    if (h.encode()) {
      // Long names and link targets travel in a pax record before the header, as tar(1) does.
      await write(
        new Pax({ path: h.path, linkpath: e.target, size: h.size, mtime: e.mtime }).encode(),
      );
    }
    await write(h.block!);
    if (e.type !== 'file') continue;
    e.sha256 = await streamFile(e, pool, write);
    const pad = (BLOCK - (e.size % BLOCK)) % BLOCK;
    if (pad > 0) await write(Buffer.alloc(pad));
  }
  await write(Buffer.alloc(BLOCK * 2));
  gzip.end();
  await settled;
  if (failed) throw failed;
  const fh = await open(out, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { sha256: hasher.hash.digest('hex'), size: hasher.bytes };
}

async function streamFile(
  e: WalkEntry,
  pool: BufferPool,
  write: (chunk: Buffer, after?: () => void) => Promise<void>,
): Promise<string> {
  const hash = createHash('sha256');
  const fh = await open(e.abs, 'r');
  try {
    let remain = e.size;
    while (remain > 0) {
      const buf = await pool.acquire();
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, remain), null);
      if (bytesRead === 0) {
        pool.release(buf);
        throw new Error(`${e.abs} became shorter while it was packed`);
      }
      const chunk = buf.subarray(0, bytesRead);
      hash.update(chunk);
      remain -= bytesRead;
      await write(chunk, () => pool.release(buf));
    }
    const { bytesRead } = await fh.read(Buffer.alloc(1), 0, 1, null);
    if (bytesRead !== 0) throw new Error(`${e.abs} became longer while it was packed`);
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}
