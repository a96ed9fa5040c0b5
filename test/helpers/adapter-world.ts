/**
 * The real adapters of the world, for a test that calls a use case with a world of its own (an
 * engine, a fake OpenShell client) and wants every other area real: the areas of src/main.ts
 * `adapterAreas` plus the HTTP probes, blueprints and GPU probes, as `createWorld` builds them.
 *
 *   await ensureGateway({ ...realAdapters(), engine, openshell: fakeGatewayClient(), … }, o);
 */
import type { Context } from '../../src/context.ts';
import { createWorld } from '../../src/main.ts';
import type { World } from '../../src/world.ts';

export type RealAdapters = Pick<
  World,
  | 'docker'
  | 'files'
  | 'snapshots'
  | 'host'
  | 'audit'
  | 'interrupts'
  | 'http'
  | 'blueprints'
  | 'gpuProbe'
>;

export function realAdapters(): RealAdapters {
  // None of these members reads the context: it is never consulted.
  const w = createWorld({ env: {} } as unknown as Context, {});
  return {
    docker: w.docker,
    files: w.files,
    snapshots: w.snapshots,
    host: w.host,
    audit: w.audit,
    interrupts: w.interrupts,
    http: w.http,
    blueprints: w.blueprints,
    gpuProbe: w.gpuProbe,
  };
}
