/**
 * The Docker Engine connection (dockerode, loaded lazily). Honours DOCKER_HOST and the active docker
 * context the way the docker CLI does, and turns "it did not answer" into one of a few causes a user
 * can act on (core/docker-connection.ts). Never prints, never exits.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import {
  chooseEngineTarget,
  classifyEngineError,
  engineUnavailableError,
  type EngineTarget,
} from '../../core/docker-connection.ts';
import { NemoclawError } from '../../core/errors.ts';

export interface DockerEngine {
  docker: Dockerode;
  target: EngineTarget;
}

export type Env = Record<string, string | undefined>;

export interface EngineFacts {
  serverVersion: string;
  apiVersion: string;
  cgroupVersion?: string;
  /** The kernel of the machine that runs the containers (a Docker VM's, not this host's, there). */
  kernelVersion?: string;
  memTotalBytes?: number;
  ncpu?: number;
  dockerRootDir?: string;
  runtimes: string[];
  os?: string;
}

/** Reads the endpoint of the docker context in use (DOCKER_CONTEXT or config.json), if any. */
export async function readContextHost(env: Env): Promise<string | undefined> {
  const configDir = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
  let name = env.DOCKER_CONTEXT?.trim();
  if (!name) {
    const cfg = await readFile(join(configDir, 'config.json'), 'utf8').catch(() => undefined);
    if (!cfg) return undefined;
    try {
      name = (JSON.parse(cfg) as { currentContext?: string }).currentContext;
    } catch {
      return undefined;
    }
  }
  if (!name || name === 'default') return undefined;
  // The CLI stores each context under the sha256 of its name.
  const id = createHash('sha256').update(name).digest('hex');
  const meta = await readFile(join(configDir, 'contexts', 'meta', id, 'meta.json'), 'utf8').catch(
    () => undefined,
  );
  if (!meta) return undefined;
  try {
    const m = JSON.parse(meta) as { Endpoints?: { docker?: { Host?: string } } };
    return m.Endpoints?.docker?.Host;
  } catch {
    return undefined;
  }
}

/** Builds the client without touching the network; `pingEngine` is the first contact. */
export async function connectEngine(env: Env = process.env): Promise<DockerEngine> {
  const target = chooseEngineTarget(env, env.DOCKER_HOST ? undefined : await readContextHost(env));
  const { default: Docker } = await import('dockerode');
  const docker = new Docker(await dockerodeOptions(target, env));
  return { docker, target };
}

async function dockerodeOptions(t: EngineTarget, env: Env): Promise<Dockerode.DockerOptions> {
  switch (t.kind) {
    case 'unix':
      return { socketPath: t.socketPath };
    case 'npipe':
      return { socketPath: t.pipe };
    case 'ssh':
      return { protocol: 'ssh', host: t.host, port: t.port, username: t.user };
    case 'tcp': {
      if (!t.tls) return { protocol: 'http', host: t.host, port: t.port };
      const dir = env.DOCKER_CERT_PATH || join(env.HOME || homedir(), '.docker');
      const [ca, cert, key] = await Promise.all(
        ['ca.pem', 'cert.pem', 'key.pem'].map((f) => readFile(join(dir, f)).catch(() => undefined)),
      );
      return { protocol: 'https', host: t.host, port: t.port, ca, cert, key };
    }
  }
}

/** Wraps any engine call so a connection failure becomes the classified, actionable error. */
export async function engineCall<T>(e: DockerEngine, what: () => Promise<T>): Promise<T> {
  try {
    return await what();
  } catch (err) {
    throw toEngineError(e, err);
  }
}

/** A connection-level failure becomes 'unavailable'/'denied'; anything else passes through. */
export function toEngineError(e: DockerEngine, err: unknown): unknown {
  if (err instanceof NemoclawError) return err;
  const x = err as { code?: string; statusCode?: number; message?: string };
  if (x && typeof x.code === 'string' && x.statusCode === undefined) {
    return engineUnavailableError(classifyEngineError(x, e.target), e.target, err);
  }
  return err;
}

/** First contact: answers or throws the classified error. Bounded so a dead TCP host cannot hang. */
/** An engine that answers a ping, or undefined: for commands that still work without Docker. */
export async function answeringEngine(
  env: Env,
  timeoutMs = 5000,
): Promise<DockerEngine | undefined> {
  const e = await connectEngine(env).catch(() => undefined);
  if (!e) return undefined;
  return pingEngine(e, timeoutMs).then(
    () => e,
    () => undefined,
  );
}

export async function pingEngine(e: DockerEngine, timeoutMs = 5000): Promise<void> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    // The typings omit ping's options; the Engine call honours abortSignal.
    const ping = e.docker.ping as unknown as (o: { abortSignal: AbortSignal }) => Promise<unknown>;
    await ping.call(e.docker, { abortSignal: ac.signal });
  } catch (err) {
    const x = err as { code?: string; statusCode?: number; message?: string; name?: string };
    const timedOut = ac.signal.aborted || x?.name === 'AbortError';
    const failure = timedOut ? 'timeout' : classifyEngineError(x ?? {}, e.target);
    throw engineUnavailableError(failure, e.target, err);
  } finally {
    clearTimeout(timer);
  }
}

export async function engineFacts(e: DockerEngine): Promise<EngineFacts> {
  const [info, version] = await engineCall(e, () =>
    Promise.all([e.docker.info(), e.docker.version()]),
  );
  const i = info as Record<string, unknown>;
  return {
    serverVersion: String(version.Version ?? i.ServerVersion ?? ''),
    apiVersion: String(version.ApiVersion ?? ''),
    cgroupVersion: i.CgroupVersion === undefined ? undefined : String(i.CgroupVersion),
    kernelVersion: typeof i.KernelVersion === 'string' ? i.KernelVersion : undefined,
    memTotalBytes: typeof i.MemTotal === 'number' ? i.MemTotal : undefined,
    ncpu: typeof i.NCPU === 'number' ? i.NCPU : undefined,
    dockerRootDir: typeof i.DockerRootDir === 'string' ? i.DockerRootDir : undefined,
    runtimes: Object.keys((i.Runtimes as Record<string, unknown> | undefined) ?? {}),
    os: typeof i.OperatingSystem === 'string' ? i.OperatingSystem : undefined,
  };
}

/** True when the engine runs on this machine, so host paths (/proc, statfs, the socket) apply. */
export function engineIsLocal(e: DockerEngine): boolean {
  return e.target.kind === 'unix' || (e.target.kind === 'tcp' && isLoopback(e.target.host));
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** The socket's owning group, for the gateway container's GroupAdd; undefined when not a socket. */
export async function socketGroupId(e: DockerEngine): Promise<number | undefined> {
  if (e.target.kind !== 'unix') return undefined;
  const st = await stat(e.target.socketPath).catch(() => undefined);
  return st?.gid;
}
