/**
 * The sandbox registry on disk.
 *
 * Reads are on the startup budget of `list` (product.md §13). A read first tries the plain-code
 * check of core/registry/quick-parse.ts, which accepts only what the schema accepts and returns
 * what its parse returns; only when it declines does the schema load. Validation is also cached
 * by the file's identity: every write validates the registry and then records the file's inode, size,
 * mtime, ctime and the sha256 of its content in a stamp beside it. A read whose file still
 * matches its stamp was written — and validated — by this nemoclaw version, and skips zod;
 * anything else (a hand edit, another version, no stamp) is validated in full and, if corrupt,
 * reported and left untouched. The content hash (and the ctime, which no one can set back) mean a
 * same-size edit that restores the old mtime is still validated (issue 18 item 7).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { quickParseRegistry } from '../../core/registry/quick-parse.ts';
import type { Registry } from '../../core/registry/schema.ts';
import type { JsonFileSpec } from './json-file.ts';

export interface RegistryStore {
  path: string;
  read(): Promise<Registry>;
  update(
    fn: (r: Registry) => Registry | undefined | Promise<Registry | undefined>,
  ): Promise<Registry>;
}

const EMPTY: Registry = { schemaVersion: 1, defaultSandbox: null, sandboxes: {} };
/** Loaded only on the stamp's path: the quick check answers most reads without it. */
const stampKind = async () => `registry-v1 nemoclaw-${(await import('../../version.ts')).VERSION}`;

interface FileId {
  ino: number;
  size: number;
  mtimeNs: string;
  ctimeNs: string;
}

/** node:crypto loads only when a stamp is checked or written (the startup budget of `list`). */
async function sha256(text: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(text).digest('hex');
}

function sameId(a: FileId, b: FileId): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/** Synchronous, like the reads below: node:fs/promises costs more to load than `list` may spend. */
function fileId(path: string): FileId | undefined {
  try {
    const s = statSync(path, { bigint: true });
    return {
      ino: Number(s.ino),
      size: Number(s.size),
      mtimeNs: s.mtimeNs.toString(),
      ctimeNs: s.ctimeNs.toString(),
    };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export function stampPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.validated`);
}

export function registryStore(path: string): RegistryStore {
  let spec: Promise<JsonFileSpec<Registry>> | undefined;
  const getSpec = () =>
    (spec ??= import('../../core/registry/schema.ts').then((m) => ({
      path,
      what: 'the sandbox registry',
      schema: m.RegistrySchema as never,
      schemaVersion: m.REGISTRY_SCHEMA_VERSION,
      empty: m.emptyRegistry,
      afterWrite: async () => {
        const id = fileId(path);
        if (!id) return;
        const text = readFileSync(path, 'utf8');
        const again = fileId(path);
        if (!again || !sameId(id, again)) return; // changed meanwhile: no stamp, full validation
        const { writeFileAtomic } = await import('./atomic.ts');
        await writeFileAtomic(
          stampPath(path),
          JSON.stringify({ kind: await stampKind(), ...id, sha256: await sha256(text) }),
        );
      },
    })));
  return {
    path,
    async read() {
      // One small local file, read synchronously: no thread pool to start on the `list` path.
      let text: string | undefined;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        // No registry yet means no sandboxes; any other failure is worded below.
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(EMPTY);
      }
      const quick = text === undefined ? undefined : quickParseRegistry(text);
      if (quick) return quick;
      const id = fileId(path);
      if (!id) return structuredClone(EMPTY);
      let stamp = '';
      try {
        stamp = readFileSync(stampPath(path), 'utf8');
      } catch {
        // no stamp: full validation
      }
      let want: (FileId & { kind?: string; sha256?: string }) | undefined;
      try {
        want = stamp
          ? (JSON.parse(stamp) as FileId & { kind?: string; sha256?: string })
          : undefined;
      } catch {
        want = undefined;
      }
      if (
        want?.kind === (await stampKind()) &&
        typeof want.sha256 === 'string' &&
        sameId(want, id)
      ) {
        try {
          const text = readFileSync(path, 'utf8');
          // Only the exact bytes that were validated are trusted, whatever the timestamps say.
          const again = fileId(path);
          if (
            again &&
            sameId(again, id) &&
            text.length > 0 &&
            (await sha256(text)) === want.sha256
          ) {
            return JSON.parse(text) as Registry;
          }
        } catch {
          // fall through to full validation
        }
      }
      const { readJsonFile } = await import('./json-file.ts');
      return readJsonFile(await getSpec());
    },
    async update(fn) {
      const { updateJsonFile } = await import('./json-file.ts');
      return updateJsonFile(await getSpec(), fn);
    },
  };
}
