/**
 * Sandbox containers as the Engine sees them. OpenShell labels every sandbox container with
 * `openshell.ai/sandbox-name` (product.md §3); nemoclaw reads uptime, restarts, OOM kills and a
 * one-shot CPU/memory sample from there, because OpenShell's phase alone can lag behind a kill.
 */
import type Dockerode from 'dockerode';
import { engineCall, toEngineError, type DockerEngine } from './engine.ts';
import { inspectContainer, removeContainer, type ContainerState } from './containers.ts';

export const SANDBOX_NAME_LABEL = 'openshell.ai/sandbox-name';
export const SANDBOX_ID_LABEL = 'openshell.ai/sandbox-id';
export const MANAGED_BY_LABEL = 'openshell.ai/managed-by';

export interface ContainerStats {
  cpuPercent?: number;
  memoryBytes?: number;
  memoryLimitBytes?: number;
}

/**
 * The sandbox's containers, newest first. With `sandboxId` (from OpenShell) a container carrying
 * that id wins, so a stale container of an older sandbox with the same name is not mistaken for it.
 */
export async function findSandboxContainers(
  e: DockerEngine,
  name: string,
): Promise<Dockerode.ContainerInfo[]> {
  const list = await engineCall(e, () =>
    e.docker.listContainers({
      all: true,
      filters: JSON.stringify({ label: [`${SANDBOX_NAME_LABEL}=${name}`] }),
    } as Dockerode.ContainerListOptions),
  );
  return (list as Dockerode.ContainerInfo[]).sort((a, b) => b.Created - a.Created);
}

/**
 * The container of this gateway's sandbox. With `sandboxId` (what OpenShell reports for the name)
 * only the container labelled with that id counts: a same-named container of another gateway, or a
 * stale one of an older sandbox, is not this sandbox's, so none matching means its container is
 * gone. Without an id (the gateway does not answer) the name is all there is: a running one wins.
 */
export async function inspectSandboxContainer(
  e: DockerEngine,
  name: string,
  sandboxId?: string,
): Promise<ContainerState | undefined> {
  const all = await findSandboxContainers(e, name);
  const pick = sandboxId
    ? all.find((c) => c.Labels?.[SANDBOX_ID_LABEL] === sandboxId)
    : (all.find((c) => c.State === 'running') ?? all[0]);
  return pick ? inspectContainer(e, pick.Id) : undefined;
}

/** One sample (`docker stats --no-stream`): CPU as a percentage of one core's worth × cores. */
export async function containerStats(e: DockerEngine, id: string): Promise<ContainerStats> {
  const s = (await engineCall(e, () =>
    e.docker.getContainer(id).stats({ stream: false }),
  )) as unknown as {
    cpu_stats?: {
      cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
      system_cpu_usage?: number;
      online_cpus?: number;
    };
    precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
    memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  };
  const out: ContainerStats = {};
  const cpu = s.cpu_stats;
  const pre = s.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const sysDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  const cpus = cpu?.online_cpus ?? cpu?.cpu_usage?.percpu_usage?.length ?? 1;
  if (sysDelta > 0 && cpuDelta >= 0) out.cpuPercent = (cpuDelta / sysDelta) * cpus * 100;
  const mem = s.memory_stats;
  if (mem?.usage !== undefined) {
    // As the docker CLI does: page cache the kernel can drop is not the container's memory.
    const cache = mem.stats?.inactive_file ?? mem.stats?.total_inactive_file ?? 0;
    out.memoryBytes = Math.max(0, mem.usage - cache);
    out.memoryLimitBytes = mem.limit;
  }
  return out;
}

/** Removes every container labelled for this sandbox (destroy --force with the gateway down). */
export async function removeSandboxContainers(e: DockerEngine, name: string): Promise<number> {
  const all = await findSandboxContainers(e, name);
  for (const c of all) await removeContainer(e, c.Id);
  return all.length;
}

/**
 * Removes an image unless a container still uses it (409) — another sandbox, or anything else.
 * Never forces.
 */
export async function removeImageIfUnused(
  e: DockerEngine,
  ref: string,
): Promise<'removed' | 'in-use' | 'absent'> {
  try {
    await e.docker.getImage(ref).remove();
    return 'removed';
  } catch (err) {
    const code = (err as { statusCode?: number }).statusCode;
    if (code === 404) return 'absent';
    if (code === 409) return 'in-use';
    throw toEngineError(e, err);
  }
}
