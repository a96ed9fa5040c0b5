/**
 * Sandboxes as real containers (dockerode, Engine API only). Each container runs the `--from`
 * image with no network, labelled as OpenShell labels its sandboxes, plus `nemoclaw.test=<run id>`
 * so test cleanup finds it. dockerode is imported only by commands that touch a container.
 */
import type Docker from 'dockerode';
import type { SandboxRec } from './state.ts';
import { SimError } from './io.ts';

export const MANAGED_BY = 'openshell.ai/managed-by';
export const SANDBOX_NAME = 'openshell.ai/sandbox-name';

let client: Docker | undefined;
let enabled: Promise<boolean> | undefined;

async function docker(): Promise<Docker> {
  if (!client) {
    const mod = await import('dockerode');
    client = new mod.default();
  }
  return client;
}

/** OPENSHELL_SIM_DOCKER=0 turns containers off; =1 requires an engine; unset uses one if it answers. */
export function dockerEnabled(): Promise<boolean> {
  const mode = process.env.OPENSHELL_SIM_DOCKER;
  if (mode === '0') return Promise.resolve(false);
  return (enabled ??= docker()
    .then((d) => d.ping())
    .then(() => true)
    .catch(() => {
      if (mode === '1') {
        throw new SimError('OPENSHELL_SIM_DOCKER=1 but no Docker Engine answers');
      }
      return false;
    }));
}

function statusCode(e: unknown): number | undefined {
  return (e as { statusCode?: number }).statusCode;
}

/** Memory quantities as Kubernetes writes them (512Mi, 4Gi, 8G) → bytes. */
export function memoryBytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(q);
  if (!m) throw new SimError(`invalid memory quantity '${q}'`);
  const units: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    K: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Math.round(Number(m[1]) * (m[2] ? units[m[2]]! : 1));
}

/** CPU quantities (500m, 1, 2.5) → NanoCpus. */
export function nanoCpus(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(m)?$/.exec(q);
  if (!m) throw new SimError(`invalid cpu quantity '${q}'`);
  return Math.round((m[2] ? Number(m[1]) / 1000 : Number(m[1])) * 1e9);
}

export async function createContainer(
  rec: SandboxRec,
  limits: { cpu?: string; memory?: string },
): Promise<string> {
  const d = await docker();
  try {
    await d.getImage(rec.image).inspect();
  } catch (e) {
    if (statusCode(e) === 404) {
      throw new SimError(
        `sandbox entered error phase while provisioning: image '${rec.image}' not found (the simulator only uses local images)`,
      );
    }
    throw e;
  }
  const labels: Record<string, string> = {
    [MANAGED_BY]: 'openshell',
    [SANDBOX_NAME]: rec.name,
    'openshell.ai/sandbox-id': rec.id,
  };
  // OPENSHELL_SIM_RUN_ID: nemoclaw passes only OPENSHELL_* settings to its openshell children.
  const runId = process.env.OPENSHELL_SIM_RUN_ID ?? process.env.NEMOCLAW_TEST_RUN_ID;
  if (runId) labels['nemoclaw.test'] = runId;
  // Lets a test remove exactly the containers of one simulator instance.
  if (process.env.OPENSHELL_SIM_STATE)
    labels['openshell.sim/state'] = process.env.OPENSHELL_SIM_STATE;
  // The simulated data plane (dataplane/setup.ts): no route out, egress through the proxy.
  const plane =
    process.env.OPENSHELL_SIM_STATE && process.env.OPENSHELL_SIM_DATAPLANE !== '0'
      ? await (await import('./dataplane/setup.ts')).sandboxNetworking(d, rec)
      : undefined;
  const env = { ...rec.env, ...plane?.env };
  const c = await d.createContainer({
    name: `openshell-sim-${rec.name}-${rec.id.slice(0, 8)}`,
    Image: rec.image,
    // The trailing `-- CMD` is the canonical main process; it replaces the image entrypoint.
    Entrypoint: rec.command.slice(0, 1),
    Cmd: rec.command.slice(1),
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    WorkingDir: '/sandbox',
    Labels: labels,
    // An open stdin keeps a shell main process (`/bin/sh -l`) alive, as an attached session would.
    OpenStdin: true,
    StdinOnce: false,
    Tty: false,
    HostConfig: {
      NetworkMode: plane?.networkMode ?? 'none',
      Memory: limits.memory ? memoryBytes(limits.memory) : undefined,
      NanoCpus: limits.cpu ? nanoCpus(limits.cpu) : undefined,
    },
  });
  if (plane) await (await import('./dataplane/setup.ts')).putFiles(d, c.id, plane.files);
  await c.start();
  return c.id;
}

export interface ContainerState {
  running: boolean;
  exitCode: number;
}

/** One list call for every managed container; a missing id means the container is gone. */
export async function containerStates(): Promise<Map<string, ContainerState>> {
  const d = await docker();
  const list = await d.listContainers({
    all: true,
    filters: JSON.stringify({ label: [`${MANAGED_BY}=openshell`] }),
  });
  const states = new Map<string, ContainerState>();
  for (const c of list) {
    const exit = /Exited \((\d+)\)/.exec(c.Status ?? '');
    states.set(c.Id, { running: c.State === 'running', exitCode: exit ? Number(exit[1]) : 0 });
  }
  return states;
}

export async function removeContainer(id: string): Promise<void> {
  const d = await docker();
  await d
    .getContainer(id)
    .remove({ force: true, v: true })
    .catch((e: unknown) => {
      if (statusCode(e) !== 404) throw e;
    });
}

export async function stopContainer(id: string): Promise<void> {
  const d = await docker();
  await d
    .getContainer(id)
    .stop({ t: 1 })
    .catch((e: unknown) => {
      if (statusCode(e) !== 304 && statusCode(e) !== 404) throw e;
    });
}

export async function startContainer(id: string): Promise<void> {
  const d = await docker();
  if (process.env.OPENSHELL_SIM_STATE && process.env.OPENSHELL_SIM_DATAPLANE !== '0') {
    const net = (await d.getContainer(id).inspect()).HostConfig?.NetworkMode ?? 'none';
    if (net !== 'none') await (await import('./dataplane/setup.ts')).ensurePlane(d);
  }
  await d
    .getContainer(id)
    .start()
    .catch((e: unknown) => {
      if (statusCode(e) !== 304) throw e;
    });
}

export { docker as dockerClient, statusCode };
