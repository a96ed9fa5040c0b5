/** Reading a user's file with a size bound: too large is refused before it is read (exit 2). */
import { open } from 'node:fs/promises';
import { NemoclawError } from '../../core/errors.ts';
import { formatLimit } from '../../core/limits.ts';

export async function readBoundedText(
  path: string,
  maxBytes: number,
  what: string,
): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    if (!st.isFile())
      throw new NemoclawError('invalid', `${what} ${path} is not a regular file.`, {
        hint: 'Pass the path of a file.',
      });
    if (st.size > maxBytes) throw tooLarge(path, st.size, maxBytes, what);
    // Read at most one byte more than allowed: a file that grows while read is refused too.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const r = await fh.read(buf, n, buf.length - n, n);
      if (r.bytesRead === 0) break;
      n += r.bytesRead;
      if (n > maxBytes) throw tooLarge(path, n, maxBytes, what);
      if (n === buf.length) break;
    }
    return buf.subarray(0, n).toString('utf8');
  } finally {
    await fh.close();
  }
}

function tooLarge(path: string, size: number, max: number, what: string): NemoclawError {
  return new NemoclawError(
    'invalid',
    `${what} ${path} is ${size} bytes, more than the ${formatLimit(max)} nemoclaw reads.`,
    { hint: `Check that ${path} is the file you meant; nothing was changed.` },
  );
}
