import { describe, expect, it } from 'vitest';
import { adapterAreas } from '../../src/main.ts';

// Each area of the world merges several adapter modules into one object: a name exported by two
// of them would silently lose one function. Every area's members must be the union of its modules'.
describe('the world adapter areas', () => {
  const areas = adapterAreas();
  const modules: Record<string, (() => Promise<object>)[]> = {
    docker: [
      () => import('../../src/adapters/docker/inventory.ts'),
      () => import('../../src/adapters/docker/containers.ts'),
      () => import('../../src/adapters/docker/images.ts'),
      () => import('../../src/adapters/docker/sandboxes.ts'),
      () => import('../../src/adapters/docker/push.ts'),
      () => import('../../src/adapters/docker/overlay-context.ts'),
      () => import('../../src/adapters/docker/context-extras.ts'),
      () => import('../../src/adapters/docker/build-context.ts'),
      () => import('../../src/adapters/docker/supervisor.ts'),
      () => import('../../src/adapters/docker/engine.ts'),
    ],
    files: [
      () => import('../../src/adapters/state/home-files.ts'),
      () => import('../../src/adapters/state/json-file.ts'),
      () => import('../../src/adapters/state/lock.ts'),
      () => import('../../src/adapters/state/sandbox-records.ts'),
      () => import('../../src/adapters/state/archive.ts'),
      () => import('../../src/adapters/state/fingerprint-key.ts'),
      () => import('../../src/adapters/state/atomic.ts'),
      () => import('../../src/adapters/host/user-file.ts'),
      () => import('../../src/adapters/host/bounded-read.ts'),
      () => import('../../src/adapters/host/tree.ts'),
      () => import('../../src/adapters/policy/tempfile.ts'),
      () => import('../../src/adapters/sessions/sqlite-redact.ts'),
    ],
    snapshots: [
      () => import('../../src/adapters/snapshot/store.ts'),
      () => import('../../src/adapters/snapshot/create.ts'),
      () => import('../../src/adapters/snapshot/restore.ts'),
      () => import('../../src/adapters/snapshot/archive.ts'),
      () => import('../../src/adapters/snapshot/tree.ts'),
      () => import('../../src/adapters/snapshot/litter.ts'),
    ],
    host: [
      () => import('../../src/adapters/host/system.ts'),
      () => import('../../src/adapters/host/resources.ts'),
      () => import('../../src/adapters/host/ports.ts'),
    ],
  };
  for (const [area, paths] of Object.entries(modules)) {
    it(`${area}() offers every export of its modules, none shadowed`, async () => {
      const loaded = await Promise.all(paths.map((load) => load()));
      const names = loaded.flatMap((m) => Object.keys(m));
      expect(new Set(names).size).toBe(names.length);
      const got = await areas[area as 'docker' | 'files' | 'snapshots' | 'host']();
      const expected = names
        .filter((n) => !(area === 'docker' && ['connectEngine', 'answeringEngine'].includes(n)))
        .sort();
      expect(Object.keys(got).sort()).toEqual(expected);
      // The same functions, not copies.
      for (const m of loaded)
        for (const [k, v] of Object.entries(m))
          if (k in got) expect((got as Record<string, unknown>)[k]).toBe(v);
    });
  }
  it('loads an area once', async () => {
    expect(await areas.files()).toBe(await areas.files());
  });
});
