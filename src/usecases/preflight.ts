/**
 * Preflight (product.md §8 step 1): every check runs, independent ones in parallel, and each comes
 * back as a value. `assertPreflight` turns blocking failures into one error before anything is
 * created; warnings never block.
 */
import { homedir } from 'node:os';
import type { DockerEngine, EngineFacts } from '../adapters/docker/engine.ts';
import type { Blueprint } from '../core/blueprint/schema.ts';
import { describeTarget } from '../core/docker-connection.ts';
import { NemoclawError, errorMessage } from '../core/errors.ts';
import type { GpuRequest } from '../core/gpu.ts';
import { decideGpu } from '../core/gpu.ts';
import * as checks from '../core/preflight.ts';
import { landlockCheck, swapCheck } from '../core/posture.ts';
import type { CheckResult } from '../core/preflight.ts';
import { detectGpu } from './gpu.ts';
import { gatewayHealthPort, MANAGED_BY_LABEL } from '../core/gateway-plan.ts';
import type { DockerIo, HostIo, World } from '../world.ts';

export interface PreflightOptions {
  blueprint: Blueprint;
  /** Local runs the gateway container here (port checked); remote registers one elsewhere. */
  gatewayMode: 'local' | 'remote';
  gatewayPort: number;
  dashboardPort: number;
  gpu: GpuRequest;
  /** Ports already held by this sandbox's own forward (a re-run or resume). */
  ownDashboardForward?: boolean;
  /** `openshell --version` through the OpenShell client; the check is skipped when absent. */
  openshellVersion?: () => Promise<{ raw: string; version: string }>;
}

/** What of the world preflight reaches. */
export type PreflightWorld = Pick<World, 'docker' | 'host' | 'gpuProbe' | 'engine'>;

export interface PreflightDeps extends PreflightWorld {
  env: Record<string, string | undefined>;
  procRoot?: string;
  cdiDirs?: string[];
  /** How long the Engine may take to answer a ping; default 5 s. */
  pingTimeoutMs?: number;
}

export async function runPreflight(
  deps: PreflightDeps,
  o: PreflightOptions,
): Promise<CheckResult[]> {
  const [d, host] = await Promise.all([deps.docker(), deps.host()]);
  const io: Io = { d, host };
  const engine = await deps.engine().catch((e: unknown) => e as NemoclawError);
  const engineReady = reach(d, engine, deps.pingTimeoutMs);

  const engineChecks = engineReady.then(async (r) => {
    if (!r.ok) return { results: [checks.engineReachable(r)], facts: undefined };
    const e = engine as DockerEngine;
    const facts = await d.engineFacts(e);
    const results = [
      checks.engineReachable({ ok: true, where: describeTarget(e.target) }),
      checks.engineVersion(
        facts.serverVersion,
        facts.apiVersion,
        o.blueprint.resources.min_docker_version,
      ),
      checks.cgroupVersion(facts.cgroupVersion),
      ...(
        await Promise.all([
          memoryChecks(io, e, facts, o, deps),
          diskCheck(io, e, facts, o, deps),
          landlock(io, e, facts),
        ])
      ).flat(),
    ];
    return { results, facts };
  });

  const portChecks = Promise.all(
    [
      ...(o.gatewayMode === 'local'
        ? [
            { port: o.gatewayPort, role: 'gateway', envVar: 'NEMOCLAW_GATEWAY_PORT' },
            {
              port: gatewayHealthPort(o.gatewayPort, deps.env),
              role: 'gateway-health',
              envVar: 'NEMOCLAW_GATEWAY_HEALTH_PORT',
            },
          ]
        : []),
      ...(o.ownDashboardForward
        ? []
        : [{ port: o.dashboardPort, role: 'dashboard', envVar: 'NEMOCLAW_DASHBOARD_PORT' }]),
    ].map((p) =>
      guard(`port.${p.role}`, `Port ${p.port} (${p.role})`, async () => {
        const probe = await host.probePort(p.port, deps.procRoot);
        let container: { name: string; ours: boolean } | undefined;
        let unknown: string | undefined;
        if (!probe.free && (await engineReady).ok) {
          const published = await d
            .containersPublishing(engine as DockerEngine, p.port)
            .catch((e: unknown) => {
              unknown = errorMessage(e);
              return [];
            });
          const c = published[0];
          if (c)
            container = {
              name: c.name,
              ours: c.labels[MANAGED_BY_LABEL] === 'nemoclaw' && p.role.startsWith('gateway'),
            };
        }
        const r = checks.port({ ...p, free: probe.free, holder: probe.holder, container });
        return unknown === undefined ? r : checks.portContainerUnknown(r, unknown);
      }),
    ),
  );

  const openshell = o.openshellVersion
    ? guard('openshell.version', 'OpenShell CLI', async () => {
        const range = {
          min: o.blueprint.openshell.min_version,
          max: o.blueprint.openshell.max_version,
        };
        try {
          const v = await o.openshellVersion!();
          return checks.openshellVersion({ ok: true, ...v }, range);
        } catch (e) {
          return checks.openshellVersion({ ok: false, error: e as NemoclawError }, range);
        }
      })
    : undefined;

  const gpu = guard('gpu', 'GPU', async () => {
    if (o.gpu.mode === 'off')
      return checks.gpu({ ok: true, decision: decideGpu(o.gpu, emptyDetection()), toolkitVia: [] });
    const runtimes = (await engineChecks).facts?.runtimes;
    const detection = await detectGpu({
      probe: await deps.gpuProbe(),
      env: deps.env,
      engineRuntimes: runtimes ?? [],
      cdiDirs: deps.cdiDirs,
    });
    try {
      return checks.gpu({
        ok: true,
        decision: decideGpu(o.gpu, detection),
        toolkitVia: detection.toolkit.via,
      });
    } catch (e) {
      return checks.gpu({ ok: false, error: e as NemoclawError });
    }
  });

  const [eng, ports, os, g] = await Promise.all([
    engineChecks.catch((e: unknown) => ({
      results: [checks.checkCrashed('docker.engine', 'Docker Engine', e)],
      facts: undefined,
    })),
    portChecks,
    openshell,
    gpu,
  ]);
  return [...eng.results, ...ports, ...(os ? [os] : []), g];
}

/** Throws the one error that lists every blocking failure; warnings pass. */
export function assertPreflight(results: CheckResult[]): void {
  const e = checks.preflightError(results);
  if (e) throw e;
}

/** The world's Docker and host areas, loaded once. */
interface Io {
  d: DockerIo;
  host: HostIo;
}

async function reach(
  d: Pick<DockerIo, 'pingEngine'>,
  engine: DockerEngine | NemoclawError,
  timeoutMs?: number,
): Promise<{ ok: true; where: string } | { ok: false; error: NemoclawError }> {
  if (engine instanceof NemoclawError) return { ok: false, error: engine };
  try {
    await d.pingEngine(engine, timeoutMs);
    return { ok: true, where: describeTarget(engine.target) };
  } catch (e) {
    if (e instanceof NemoclawError) return { ok: false, error: e };
    return { ok: false, error: new NemoclawError('unavailable', String(e)) };
  }
}

/** The kernel that matters is the Engine's; its LSM list is readable only when that is this host. */
async function landlock(io: Io, e: DockerEngine, facts: EngineFacts): Promise<CheckResult> {
  const lsm = io.d.engineIsLocal(e) ? await io.host.hostLsmList() : undefined;
  return landlockCheck({ kernelRelease: facts.kernelVersion, lsm });
}

/** The blueprint's minimum, and the headroom an image build needs (RAM under 16 GiB with no swap). */
async function memoryChecks(
  io: Io,
  e: DockerEngine,
  facts: EngineFacts,
  o: PreflightOptions,
  deps: PreflightDeps,
): Promise<CheckResult[]> {
  const m = await memoryFacts(io, e, facts, deps);
  return [checks.memory(m, o.blueprint.resources.min_memory_mb), swapCheck(m)];
}

async function memoryFacts(
  io: Io,
  e: DockerEngine,
  facts: EngineFacts,
  deps: PreflightDeps,
): Promise<{ memTotalMb?: number; swapTotalMb?: number; source: string }> {
  const engineMb = facts.memTotalBytes
    ? Math.floor(facts.memTotalBytes / (1024 * 1024))
    : undefined;
  const host = io.d.engineIsLocal(e) ? await io.host.hostMemory(deps.procRoot) : {};
  // A Docker VM (Colima, Docker Desktop) has less memory than the host, and its size is what counts.
  if (
    host.memTotalMb === undefined ||
    (engineMb !== undefined && engineMb < host.memTotalMb * 0.9)
  ) {
    return { memTotalMb: engineMb, swapTotalMb: 0, source: 'Docker VM' };
  }
  return { ...host, source: 'this host' };
}

async function diskCheck(
  io: Io,
  e: DockerEngine,
  facts: EngineFacts,
  o: PreflightOptions,
  deps: PreflightDeps,
): Promise<CheckResult> {
  const root = facts.dockerRootDir;
  const home = deps.env.HOME || homedir();
  // The Docker root is where images land; when it is not on this host, home is the best guess.
  const rootFree = io.d.engineIsLocal(e) && root ? await io.host.freeDiskMb(root) : undefined;
  const f =
    rootFree !== undefined
      ? { freeMb: rootFree, path: root! }
      : { freeMb: await io.host.freeDiskMb(home), path: home };
  return checks.disk(f, o.blueprint.resources.min_disk_mb);
}

async function guard(
  id: string,
  title: string,
  f: () => Promise<CheckResult>,
): Promise<CheckResult> {
  try {
    return await f();
  } catch (e) {
    return checks.checkCrashed(id, title, e);
  }
}

function emptyDetection() {
  return { gpus: [], toolkit: { cdiSpecs: [], engineRuntimes: [], present: false, via: [] } };
}
