/**
 * Where the Docker Engine is and what it means when it does not answer. Pure: the adapter passes in
 * the environment, the docker context it read, and the error code it got.
 */
import { NemoclawError } from './errors.ts';

export type EngineTarget =
  | { kind: 'unix'; socketPath: string; source: EngineSource }
  | { kind: 'tcp'; host: string; port: number; tls: boolean; source: EngineSource }
  | { kind: 'ssh'; host: string; port: number; user?: string; source: EngineSource }
  | { kind: 'npipe'; pipe: string; source: EngineSource };

/** Where the address came from, so a message can say which setting to fix. */
export type EngineSource = 'DOCKER_HOST' | 'docker context' | 'default';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Parses a Docker host address (`unix://`, `tcp://`, `ssh://`, `npipe://`). */
export function parseDockerHost(
  value: string,
  source: EngineSource,
  tlsVerify = false,
): EngineTarget {
  const v = value.trim();
  if (v.startsWith('unix://')) return { kind: 'unix', socketPath: v.slice(7), source };
  if (v.startsWith('/')) return { kind: 'unix', socketPath: v, source };
  if (v.startsWith('npipe://')) return { kind: 'npipe', pipe: v.slice(8), source };
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new NemoclawError('invalid', `${source} has an address Docker does not accept: ${v}`, {
      hint: 'Use unix:///path/to/docker.sock, tcp://HOST:PORT or ssh://USER@HOST.',
    });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    const tls = tlsVerify || url.protocol === 'https:';
    const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
    return { kind: 'tcp', host, port, tls, source };
  }
  if (url.protocol === 'ssh:') {
    return {
      kind: 'ssh',
      host,
      port: url.port ? Number(url.port) : 22,
      user: url.username || undefined,
      source,
    };
  }
  throw new NemoclawError('invalid', `${source} uses an unsupported scheme: ${url.protocol}`, {
    hint: 'Use unix://, tcp:// or ssh://.',
  });
}

/**
 * Picks the engine address the way the docker CLI does: DOCKER_HOST, then DOCKER_CONTEXT or the
 * config's current context (its endpoint is read by the adapter), then the default socket.
 */
export function chooseEngineTarget(
  env: Record<string, string | undefined>,
  contextHost: string | undefined,
): EngineTarget {
  const tlsVerify = !!env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0';
  if (env.DOCKER_HOST?.trim()) return parseDockerHost(env.DOCKER_HOST, 'DOCKER_HOST', tlsVerify);
  if (contextHost?.trim()) return parseDockerHost(contextHost, 'docker context', tlsVerify);
  return { kind: 'unix', socketPath: DEFAULT_SOCKET, source: 'default' };
}

export function describeTarget(t: EngineTarget): string {
  switch (t.kind) {
    case 'unix':
      return `unix://${t.socketPath}`;
    case 'tcp':
      return `tcp://${t.host}:${t.port}${t.tls ? ' (TLS)' : ''}`;
    case 'ssh':
      return `ssh://${t.user ? `${t.user}@` : ''}${t.host}:${t.port}`;
    case 'npipe':
      return `npipe://${t.pipe}`;
  }
}

export type EngineFailure =
  | 'no-socket'
  | 'permission-denied'
  | 'not-running'
  | 'host-unreachable'
  | 'timeout'
  | 'not-docker'
  | 'other';

/** Why an engine did not answer, from the error code of the connection attempt. */
export function classifyEngineError(
  e: { code?: string; statusCode?: number; message?: string },
  t: EngineTarget,
): EngineFailure {
  const code = e.code ?? '';
  if (t.kind === 'unix' || t.kind === 'npipe') {
    if (code === 'ENOENT') return 'no-socket';
    if (code === 'EACCES' || code === 'EPERM') return 'permission-denied';
    if (code === 'ECONNREFUSED' || code === 'ENOTSOCK') return 'not-running';
  } else {
    if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code))
      return 'host-unreachable';
    if (code === 'EACCES') return 'permission-denied';
  }
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || /timeout/i.test(e.message ?? ''))
    return 'timeout';
  if (e.statusCode !== undefined) return 'not-docker';
  return 'other';
}

/** The error a user sees when the engine does not answer: what, why, and the next command. */
export function engineUnavailableError(
  failure: EngineFailure,
  t: EngineTarget,
  cause?: unknown,
): NemoclawError {
  const where = describeTarget(t);
  const fromEnv = t.source === 'DOCKER_HOST' ? ' (from DOCKER_HOST)' : '';
  const m = messages(failure, t, where, fromEnv);
  return new NemoclawError(failure === 'permission-denied' ? 'denied' : 'unavailable', m.message, {
    hint: m.hint,
    cause,
    detail: { engine: where, failure, source: t.source },
  });
}

function messages(
  failure: EngineFailure,
  t: EngineTarget,
  where: string,
  fromEnv: string,
): { message: string; hint: string } {
  switch (failure) {
    case 'no-socket':
      return {
        message: `Docker Engine not found: there is no socket at ${where}${fromEnv}.`,
        hint:
          t.source === 'default'
            ? 'Install and start Docker (sudo systemctl start docker), or point DOCKER_HOST at your engine (Colima, OrbStack, Docker Desktop: `docker context inspect` shows the socket).'
            : `Check ${t.source}: nothing listens at ${where}. Unset it to use the default socket, or start the engine it names.`,
      };
    case 'permission-denied':
      return {
        message: `Permission denied on the Docker socket ${where}${fromEnv}.`,
        hint: 'Add yourself to the docker group: sudo usermod -aG docker $USER, then log out and back in (or run `newgrp docker`).',
      };
    case 'not-running':
      return {
        message: `The Docker daemon is not running: ${where}${fromEnv} exists but nothing answers on it.`,
        hint: 'Start it: sudo systemctl start docker (Linux), or start Docker Desktop / colima start / OrbStack.',
      };
    case 'host-unreachable':
      return {
        message: `The Docker Engine at ${where}${fromEnv} is unreachable.`,
        hint: `Check that the engine runs on that host and the port is open, or unset ${t.source === 'DOCKER_HOST' ? 'DOCKER_HOST' : 'the docker context'} to use the local socket.`,
      };
    case 'timeout':
      return {
        message: `The Docker Engine at ${where}${fromEnv} did not answer in time.`,
        hint: 'The engine may be starting or overloaded; retry in a moment, and check `docker info`.',
      };
    case 'not-docker':
      return {
        message: `Something answers at ${where}${fromEnv}, but it is not a Docker Engine.`,
        hint: 'Point DOCKER_HOST at the Docker Engine socket.',
      };
    case 'other':
      return {
        message: `Cannot talk to the Docker Engine at ${where}${fromEnv}.`,
        hint: 'Check that Docker runs (`docker info`) and that DOCKER_HOST, if set, is right.',
      };
  }
}
