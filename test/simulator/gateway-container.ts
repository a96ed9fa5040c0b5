/**
 * A gateway registered at a loopback endpoint that a container publishes is checked through the
 * Engine the way v0.0.111 would start with it; a container the real gateway could not run with
 * makes the endpoint count as down (`status` Disconnected, server calls Unavailable), with the
 * reason. Rules, each from the file named:
 * - CLI flags in the container's command beat the TOML (`crates/openshell-server/src/cli.rs`,
 *   `merge_file_into_args`; `deploy/docker/docker-compose.yml` clears `command`).
 * - `OPENSHELL_GATEWAY_CONFIG` names a file that must exist in the container and load
 *   (`config_file.rs` `load`; unknown keys are errors: see gateway-toml.ts).
 * - The gRPC listener binds the TOML's `bind_address` port (default 8080); the published port
 *   must reach it, and must be the same number, because the docker driver makes sandboxes call
 *   back on `host.openshell.internal:<its own bind port>`
 *   (`crates/openshell-driver-docker/src/lib.rs`, `docker_container_openshell_endpoint`).
 * - The Docker socket (`socket_path`, default /var/run/docker.sock) is mounted.
 * - The supervisor resolves (`lib.rs` `resolve_supervisor_bin_source`): `supervisor_bin` must be
 *   an existing Linux ELF file, and one the host Engine can bind-mount, so a same-path bind;
 *   else `supervisor_image` must be present (the simulator never pulls) with `XDG_DATA_HOME` on a
 *   same-path bind (the extracted binary is cached there and bind-mounted from the host).
 */
import type Docker from 'dockerode';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dockerClient as engine, dockerEnabled } from './docker.ts';
import { TomlError, loadGatewayFile, socketPort } from './gateway-toml.ts';

interface Mount {
  Source: string;
  Destination: string;
  Type?: string;
}

const isElf = (path: string): boolean => {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(4);
    readSync(fd, b, 0, 4, 0);
    return b.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    closeSync(fd);
  }
};

const samePathBind = (mounts: Mount[], path: string) =>
  mounts.some(
    (m) =>
      m.Type === 'bind' &&
      m.Source === m.Destination &&
      (path === m.Destination || path.startsWith(`${m.Destination.replace(/\/+$/, '')}/`)),
  );

export async function gatewayContainerProblem(endpoint: string): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  if (!['127.0.0.1', 'localhost'].includes(url.hostname) || !url.port) return undefined;
  if (!(await dockerEnabled())) return undefined;
  const d = await engine();
  const list: Docker.ContainerInfo[] = await d.listContainers({
    filters: { publish: [url.port] },
  } as Docker.ContainerListOptions);
  for (const c of list) {
    const i = await d.getContainer(c.Id).inspect();
    const argv = [...(i.Config.Entrypoint ?? []), ...(i.Config.Cmd ?? [])].map(String);
    if (!argv.some((a) => a.endsWith('openshell-gateway'))) continue; // not a gateway
    const problem = check(i, Number(url.port));
    if (problem) return `gateway container ${i.Name.replace(/^\//, '')} cannot run: ${problem}`;
  }
  return undefined;
}

type Inspect = Docker.ContainerInspectInfo;

function check(i: Inspect, hostPort: number): string | undefined {
  const cmd = (i.Config.Cmd ?? []).map(String);
  const env = new Map<string, string>(
    (i.Config.Env ?? []).map((e: string) => [
      e.slice(0, e.indexOf('=')),
      e.slice(e.indexOf('=') + 1),
    ]),
  );
  const mounts = (i.Mounts ?? []) as Mount[];
  const cmdPort = cmd.includes('--port') ? Number(cmd[cmd.indexOf('--port') + 1]) : undefined;

  let file = { gateway: {}, docker: {} } as ReturnType<typeof loadGatewayFile>;
  const cfg = env.get('OPENSHELL_GATEWAY_CONFIG');
  if (cfg) {
    const m = mounts.find((x) => x.Destination === cfg);
    if (!m) return `failed to read config file ${cfg}: No such file or directory`;
    let text: string;
    try {
      text = readFileSync(m.Source, 'utf8');
    } catch (e) {
      return `failed to read config file ${cfg}: ${(e as Error).message}`;
    }
    try {
      file = loadGatewayFile(text);
    } catch (e) {
      if (e instanceof TomlError) return `invalid config file ${cfg}: ${e.message}`;
      throw e;
    }
  }
  let tomlPort: number | undefined;
  try {
    tomlPort = socketPort(file.gateway.bind_address, 'bind_address');
    socketPort(file.gateway.health_bind_address, 'health_bind_address');
  } catch (e) {
    return `invalid config file ${cfg}: ${(e as Error).message}`;
  }
  const bindPort = cmdPort ?? tomlPort ?? 8080;
  const bindings = Object.entries(i.HostConfig.PortBindings ?? {}) as [
    string,
    { HostPort: string }[],
  ][];
  const published = bindings.find(([, bs]) => bs?.some((b) => Number(b.HostPort) === hostPort));
  const containerPort = published ? Number(published[0].split('/')[0]) : undefined;
  if (containerPort !== bindPort) {
    const why = cmdPort !== undefined ? ` (set by the container's command ${cmd.join(' ')})` : '';
    return `host port ${hostPort} is published to container port ${containerPort}, but the gateway listens on ${bindPort}${why}`;
  }
  if (hostPort !== bindPort) {
    return `sandboxes call back on host.openshell.internal:${bindPort} (the gateway's bind port), but the host publishes the gateway on ${hostPort}`;
  }
  const drivers = file.gateway.compute_drivers;
  if (Array.isArray(drivers) && !drivers.includes('docker'))
    return `compute_drivers ${JSON.stringify(drivers)} has no docker driver`;
  const socket = String(file.docker.socket_path ?? '/var/run/docker.sock');
  if (!mounts.some((m) => m.Destination === socket))
    return `the Docker socket ${socket} is not mounted`;
  return supervisorProblem(file.docker, mounts, env);
}

function supervisorProblem(
  docker: Record<string, unknown>,
  mounts: Mount[],
  env: Map<string, string>,
): string | undefined {
  const bin = docker.supervisor_bin as string | undefined;
  if (bin !== undefined) {
    let isFile = false;
    try {
      isFile = statSync(bin).isFile();
    } catch {
      // missing
    }
    if (!isFile || !samePathBind(mounts, bin))
      return `docker supervisor binary '${bin}' does not exist or is not a file (in the container, at the same path as on the host)`;
    if (!isElf(bin)) return `docker supervisor binary '${bin}' is not a Linux ELF executable`;
    return undefined;
  }
  if (docker.supervisor_image !== undefined) {
    const data = env.get('XDG_DATA_HOME');
    if (!data || !samePathBind(mounts, data))
      return 'the supervisor extracted from supervisor_image is cached under XDG_DATA_HOME, which is not bind-mounted at the same path on host and container';
    return undefined;
  }
  return 'no supervisor binary resolves: set supervisor_bin or supervisor_image in [openshell.drivers.docker]';
}
