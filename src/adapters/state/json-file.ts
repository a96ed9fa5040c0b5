/**
 * Versioned JSON state files: validated on read, written atomically under a lock, and never reset.
 * A file we cannot read is reported with its path and left exactly as it is.
 */
import { readFile } from 'node:fs/promises';
import { NemoclawError } from '../../core/errors.ts';
import { writeFileAtomic } from './atomic.ts';
import { withLock } from './lock.ts';

/** What we need of a zod (or zod/mini) schema. */
export interface Schema<T> {
  parse(v: unknown): T;
  safeParse(
    v: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

export interface JsonFileSpec<T> {
  path: string;
  /** Human name, for messages ("the sandbox registry"). */
  what: string;
  schema: Schema<T>;
  schemaVersion: number;
  empty: () => T;
  /** Runs under the lock right after a successful write (e.g. to stamp the file as validated). */
  afterWrite?: () => Promise<void>;
}

export async function readJsonFile<T>(spec: JsonFileSpec<T>): Promise<T> {
  let text: string;
  try {
    text = await readFile(spec.path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return spec.empty();
    throw new NemoclawError(
      'failed',
      `Cannot read ${spec.what} at ${spec.path}: ${(e as Error).message}`,
      {
        hint: `Check the permissions of ${spec.path}.`,
        cause: e,
      },
    );
  }
  return parseJsonState(spec, text);
}

export function parseJsonState<T>(spec: JsonFileSpec<T>, text: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw corrupt(spec, `it is not valid JSON (${(e as Error).message})`);
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > spec.schemaVersion) {
    throw new NemoclawError(
      'corrupt',
      `${capitalize(spec.what)} at ${spec.path} has schemaVersion ${version}, newer than this nemoclaw understands (${spec.schemaVersion}).`,
      { hint: 'Upgrade nemoclaw; the file was left untouched.', detail: { path: spec.path } },
    );
  }
  const parsed = spec.schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first
      ? `${first.path.map(String).join('.') || '(top level)'}: ${first.message}`
      : 'invalid';
    throw corrupt(spec, `it does not match the expected format (${where})`);
  }
  return parsed.data;
}

function corrupt(spec: JsonFileSpec<unknown>, why: string): NemoclawError {
  return new NemoclawError(
    'corrupt',
    `${capitalize(spec.what)} at ${spec.path} cannot be read: ${why}.`,
    {
      hint: `The file was left untouched. Restore it from a backup or move it aside (mv ${spec.path} ${spec.path}.bad) to start over.`,
      detail: { path: spec.path },
    },
  );
}

/** Read, change and write under the file's lock. `fn` returns the new value, or undefined for no change. */
export async function updateJsonFile<T>(
  spec: JsonFileSpec<T>,
  fn: (current: T) => T | undefined | Promise<T | undefined>,
): Promise<T> {
  return withLock(`${spec.path}.lock`, { what: spec.what }, async () => {
    const current = await readJsonFile(spec);
    const next = await fn(current);
    if (next === undefined) return current;
    // Validate before writing: a bug must never put a file on disk that we cannot read back.
    const checked = spec.schema.parse(next);
    await writeFileAtomic(spec.path, `${JSON.stringify(checked, null, 2)}\n`);
    await spec.afterWrite?.();
    return checked;
  });
}

export async function writeJsonFile<T>(spec: JsonFileSpec<T>, value: T): Promise<void> {
  await withLock(`${spec.path}.lock`, { what: spec.what }, async () => {
    const checked = spec.schema.parse(value);
    await writeFileAtomic(spec.path, `${JSON.stringify(checked, null, 2)}\n`);
    await spec.afterWrite?.();
  });
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
