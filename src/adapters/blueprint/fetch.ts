/** Downloading and unpacking a blueprint archive fetched by URL: bounded, and safe to extract. */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NemoclawError } from '../../core/errors.ts';

/** A blueprint archive larger than this is refused while it downloads. */
export const MAX_BLUEPRINT_ARCHIVE_BYTES = 32 * 1024 * 1024;

export async function download(
  url: string,
  dest: string,
  fetchImpl: typeof fetch,
): Promise<string> {
  let res: Response;
  try {
    res = await fetchImpl(url, { signal: AbortSignal.timeout(60_000), redirect: 'follow' });
  } catch (e) {
    throw new NemoclawError(
      'unavailable',
      `Cannot download the blueprint from ${url}: ${(e as Error).message}`,
      {
        hint: 'Check the URL and your network or proxy settings.',
        cause: e,
      },
    );
  }
  if (!res.ok || !res.body) {
    throw new NemoclawError(
      'unavailable',
      `Downloading the blueprint from ${url} failed with HTTP ${res.status}.`,
      {
        hint: 'Check the URL.',
      },
    );
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > MAX_BLUEPRINT_ARCHIVE_BYTES) throw tooBig(url);
  const hash = createHash('sha256');
  const body = Readable.fromWeb(res.body as never);
  let bytes = 0;
  body.on('data', (c: Buffer) => {
    bytes += c.length;
    if (bytes > MAX_BLUEPRINT_ARCHIVE_BYTES) body.destroy(tooBig(url));
    else hash.update(c);
  });
  try {
    await pipeline(body, createWriteStream(dest, { mode: 0o600 }));
  } catch (e) {
    if (e instanceof NemoclawError) throw e;
    throw truncated(url, bytes, e);
  }
  if (Number.isFinite(declared) && bytes !== declared) throw truncated(url, bytes);
  return hash.digest('hex');
}

function tooBig(url: string): NemoclawError {
  return new NemoclawError(
    'invalid',
    `The blueprint archive from ${url} is larger than ${MAX_BLUEPRINT_ARCHIVE_BYTES / 1024 / 1024} MiB; nothing was installed.`,
    { hint: 'A blueprint holds a few small YAML files; check the URL.' },
  );
}

function truncated(url: string, bytes: number, cause?: unknown): NemoclawError {
  return new NemoclawError(
    'unavailable',
    `The download of the blueprint from ${url} was cut short after ${bytes} bytes; nothing was installed.`,
    { hint: 'Check your network or proxy and run the command again.', cause },
  );
}

/** localhost, 127.0.0.0/8 and ::1: the only hosts a plain http:// blueprint URL may name. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h === '[::1]' || h === '::1') return true;
  return (
    /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(h) && h.split('.').every((x) => Number(x) <= 255)
  );
}

export async function extractSafely(archive: string, dest: string): Promise<void> {
  const tar = await import('tar');
  await mkdir(dest, { recursive: true, mode: 0o700 });
  const refused: string[] = [];
  await tar.x({
    file: archive,
    cwd: dest,
    strict: true,
    preservePaths: false,
    filter: (path, entry) => {
      const type = (entry as { type?: string }).type;
      const bad =
        path.startsWith('/') ||
        path.split('/').includes('..') ||
        (type !== 'File' && type !== 'Directory');
      if (bad) refused.push(`${path} (${type})`);
      // Set-user-id, set-group-id and sticky bits are never kept (nor group/world write).
      const e = entry as { mode?: number };
      if (typeof e.mode === 'number') e.mode &= 0o755;
      return !bad;
    },
  });
  await dropSpecialBits(dest);
  if (refused.length > 0) {
    throw new NemoclawError(
      'integrity',
      `Blueprint archive holds entries that are not allowed: ${refused.slice(0, 5).join(', ')}.`,
      {
        hint: 'A blueprint archive may contain only regular files and folders with relative paths.',
      },
    );
  }
}

async function dropSpecialBits(dir: string): Promise<void> {
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, ent.name);
    const st = await lstat(full);
    if (st.isSymbolicLink()) continue;
    if ((st.mode & 0o7022) !== 0) await chmod(full, st.mode & 0o755);
    if (st.isDirectory()) await dropSpecialBits(full);
  }
}

export async function findBlueprintRoot(tree: string): Promise<string> {
  const entries = await readdir(tree, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name === 'blueprint.yaml')) return tree;
  const dirs = entries.filter((e) => e.isDirectory());
  if (dirs.length === 1) return findBlueprintRoot(join(tree, dirs[0]!.name));
  throw new NemoclawError('corrupt', 'The blueprint archive has no blueprint.yaml at its top.');
}
