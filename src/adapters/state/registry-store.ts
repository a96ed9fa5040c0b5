/** The sandbox registry on disk. The schema (and zod) load only when the file is really read. */
import { access } from 'node:fs/promises';
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

export function registryStore(path: string): RegistryStore {
  let spec: Promise<JsonFileSpec<Registry>> | undefined;
  const getSpec = () =>
    (spec ??= import('../../core/registry/schema.ts').then((m) => ({
      path,
      what: 'the sandbox registry',
      schema: m.RegistrySchema as never,
      schemaVersion: m.REGISTRY_SCHEMA_VERSION,
      empty: m.emptyRegistry,
    })));
  return {
    path,
    async read() {
      // The common fast path: no registry yet means no sandboxes, without loading zod.
      try {
        await access(path);
      } catch {
        return structuredClone(EMPTY);
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
