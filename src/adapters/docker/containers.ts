/** Containers and volumes through the Engine API: observe, create, start, restart, logs. */
import type Dockerode from 'dockerode';
import { engineCall, toEngineError, type DockerEngine } from './engine.ts';

export interface ContainerState {
  id: string;
  name: string;
  image: string;
  imageId: string;
  status: string; // created | running | paused | restarting | removing | exited | dead
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  startedAt?: string;
  restartCount: number;
  labels: Record<string, string>;
  env: string[];
  /** container port (e.g. "8080/tcp") → host bindings */
  ports: Record<string, { HostIp: string; HostPort: string }[]>;
  restartPolicy?: string;
  cmd: string[];
  entrypoint: string[];
  user: string;
  binds: string[];
  extraHosts: string[];
}

export async function inspectContainer(
  e: DockerEngine,
  nameOrId: string,
): Promise<ContainerState | undefined> {
  try {
    const i = await e.docker.getContainer(nameOrId).inspect();
    return {
      id: i.Id,
      name: i.Name.replace(/^\//, ''),
      image: i.Config.Image,
      imageId: i.Image,
      status: i.State.Status,
      running: i.State.Running,
      exitCode: i.State.ExitCode,
      oomKilled: i.State.OOMKilled,
      startedAt: i.State.StartedAt,
      restartCount: i.RestartCount,
      labels: i.Config.Labels ?? {},
      env: i.Config.Env ?? [],
      ports: (i.HostConfig.PortBindings as ContainerState['ports'] | undefined) ?? {},
      restartPolicy: i.HostConfig.RestartPolicy?.Name,
      cmd: asList(i.Config.Cmd),
      entrypoint: asList(i.Config.Entrypoint),
      user: i.Config.User ?? '',
      binds: i.HostConfig.Binds ?? [],
      extraHosts: (i.HostConfig as { ExtraHosts?: string[] | null }).ExtraHosts ?? [],
    };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw toEngineError(e, err);
  }
}

function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' && v ? [v] : [];
}

export async function createContainer(
  e: DockerEngine,
  spec: Dockerode.ContainerCreateOptions,
): Promise<string> {
  const c = await engineCall(e, () => e.docker.createContainer(spec));
  return c.id;
}

/** Starting an already running container is not an error (304). */
export async function startContainer(e: DockerEngine, id: string): Promise<void> {
  try {
    await e.docker.getContainer(id).start();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 304) return;
    throw toEngineError(e, err);
  }
}

/** The default bridge's gateway address: what `host-gateway` (host.openshell.internal) means. */
export async function bridgeGateway(e: DockerEngine): Promise<string | undefined> {
  const net = (await engineCall(e, () => e.docker.getNetwork('bridge').inspect())) as {
    IPAM?: { Config?: { Gateway?: string }[] };
  };
  return net.IPAM?.Config?.find((c) => c.Gateway)?.Gateway;
}

/** Changes the restart policy of an existing (running) container in place. */
export async function setRestartPolicy(e: DockerEngine, id: string, name: string): Promise<void> {
  await engineCall(e, () => e.docker.getContainer(id).update({ RestartPolicy: { Name: name } }));
}

export async function restartContainer(
  e: DockerEngine,
  id: string,
  timeoutSecs = 10,
): Promise<void> {
  await engineCall(e, () => e.docker.getContainer(id).restart({ t: timeoutSecs }));
}

export async function stopContainer(e: DockerEngine, id: string, timeoutSecs = 10): Promise<void> {
  try {
    await e.docker.getContainer(id).stop({ t: timeoutSecs });
  } catch (err) {
    const code = (err as { statusCode?: number }).statusCode;
    if (code === 304 || code === 404) return;
    throw toEngineError(e, err);
  }
}

export async function removeContainer(e: DockerEngine, id: string): Promise<void> {
  try {
    await e.docker.getContainer(id).remove({ force: true });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return;
    throw toEngineError(e, err);
  }
}

/** The last `n` log lines (stdout and stderr together), demultiplexed. */
export async function containerLogTail(e: DockerEngine, id: string, n = 20): Promise<string[]> {
  try {
    const buf = (await e.docker
      .getContainer(id)
      .logs({ stdout: true, stderr: true, tail: n, follow: false })) as unknown as Buffer;
    return demux(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)))
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l.length > 0)
      .slice(-n);
  } catch {
    return [];
  }
}

/** Docker multiplexes non-TTY logs into 8-byte-headed frames; a TTY container's log is raw. */
function demux(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (
    i + 8 <= buf.length &&
    (buf[i] === 1 || buf[i] === 2 || buf[i] === 0) &&
    buf[i + 1] === 0
  ) {
    const len = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  if (i === 0) return buf.toString('utf8');
  return Buffer.concat(parts).toString('utf8');
}

/** Resolves with the exit code when the container stops running. */
/** Abort `signal` once the exit no longer matters: the pending request would keep the process alive. */
export async function waitForExit(
  e: DockerEngine,
  id: string,
  signal?: AbortSignal,
): Promise<{ exitCode: number }> {
  const r = (await engineCall(e, () =>
    e.docker
      .getContainer(id)
      .wait({ condition: 'not-running', ...(signal ? { abortSignal: signal } : {}) }),
  )) as { StatusCode: number };
  return { exitCode: r.StatusCode };
}

export async function volumeExists(e: DockerEngine, name: string): Promise<boolean> {
  try {
    await e.docker.getVolume(name).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw toEngineError(e, err);
  }
}

export async function createVolume(
  e: DockerEngine,
  name: string,
  labels: Record<string, string>,
): Promise<void> {
  await engineCall(e, () => e.docker.createVolume({ Name: name, Labels: labels }));
}

/** Containers that publish a host port, for naming who holds a busy port. */
export async function containersPublishing(
  e: DockerEngine,
  port: number,
): Promise<{ id: string; name: string; labels: Record<string, string> }[]> {
  const list = await engineCall(e, () =>
    e.docker.listContainers({
      filters: { publish: [String(port)] },
    } as Dockerode.ContainerListOptions),
  );
  return (list as Dockerode.ContainerInfo[]).map((c) => ({
    id: c.Id,
    name: (c.Names[0] ?? '').replace(/^\//, ''),
    labels: c.Labels ?? {},
  }));
}
