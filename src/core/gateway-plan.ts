/**
 * The local OpenShell gateway (product.md §3): its settings, its container spec, and the plan that
 * turns what exists into what should exist. Pure; the use case observes and applies.
 */
import type { Blueprint } from './blueprint/schema.ts';
import {
  DB_URL,
  DOCKER_SOCKET_IN_CONTAINER,
  EXTRA_HOSTS,
  GATEWAY_CONFIG_PATH,
  STATE_MOUNT,
  gatewayDrift,
  renderGatewayToml,
  type GatewayShape,
  type ObservedShape,
} from './gateway-config.ts';
import { NemoclawError } from './errors.ts';
import type { Plan, PlanStep } from './plan.ts';

export const MANAGED_BY_LABEL = 'ai.nvidia.nemoclaw.managed-by';
export const GATEWAY_ROLE_LABEL = 'ai.nvidia.nemoclaw.role';
export const DEFAULT_GATEWAY_CONTAINER = 'nemoclaw-openshell-gateway';
export const DEFAULT_GATEWAY_VOLUME = 'nemoclaw-openshell-state';
export const DEFAULT_GATEWAY_NAME = 'nemoclaw';
export { STATE_MOUNT } from './gateway-config.ts';

export interface GatewaySettings {
  /** The name registered with `openshell gateway add`. */
  name: string;
  containerName: string;
  volumeName: string;
  gatewayImage: string;
  supervisorImage: string;
  /** Where the binary lives inside the supervisor image. */
  supervisorPathInImage: string;
  /** Where it is copied on the host, inside `dataDir` (the gateway's `supervisor_bin`). */
  supervisorHostPath: string;
  /** Bind-mounted at the same absolute path (XDG_DATA_HOME, HOME): the Engine resolves paths the
   * gateway hands it against the host. */
  dataDir: string;
  /** The generated gateway.toml on the host, mounted read-only at GATEWAY_CONFIG_PATH. */
  configHostPath: string;
  configToml: string;
  /** gRPC port: the TOML's bind port and the published host port are this one number. */
  port: number;
  /** Health port (`/readyz`), also the same number inside and out. */
  healthPort: number;
  url: string;
  /** The Engine's socket, mounted into the gateway so its docker driver can create sandboxes. */
  socketPath: string;
  socketGid?: number;
  labels: Record<string, string>;
}

/** The health listener's port: NEMOCLAW_GATEWAY_HEALTH_PORT, else the one after the gRPC port. */
export function gatewayHealthPort(port: number, env: Record<string, string | undefined>): number {
  return Number(env.NEMOCLAW_GATEWAY_HEALTH_PORT?.trim()) || (port < 65535 ? port + 1 : port - 1);
}

export function gatewaySettings(
  bp: Blueprint,
  env: Record<string, string | undefined>,
  o: {
    port: number;
    supervisorDir: string;
    socketPath?: string;
    socketGid?: number;
    extraLabels?: Record<string, string>;
  },
): GatewaySettings {
  const binName = bp.openshell.supervisor_binary_path.split('/').pop() || 'openshell-sandbox';
  const supervisorDir = o.supervisorDir.replace(/\/+$/, '');
  const dataDir = supervisorDir.slice(0, supervisorDir.lastIndexOf('/')) || supervisorDir;
  const supervisorHostPath = `${supervisorDir}/${binName}`;
  const healthPort = gatewayHealthPort(o.port, env);
  return {
    name: DEFAULT_GATEWAY_NAME,
    containerName: env.NEMOCLAW_GATEWAY_CONTAINER?.trim() || DEFAULT_GATEWAY_CONTAINER,
    volumeName: env.NEMOCLAW_GATEWAY_VOLUME?.trim() || DEFAULT_GATEWAY_VOLUME,
    gatewayImage: env.NEMOCLAW_GATEWAY_IMAGE?.trim() || bp.openshell.gateway_image,
    supervisorImage: env.NEMOCLAW_SUPERVISOR_IMAGE?.trim() || bp.openshell.supervisor_image,
    supervisorPathInImage: bp.openshell.supervisor_binary_path,
    supervisorHostPath,
    dataDir,
    configHostPath: `${dataDir}/gateway.toml`,
    configToml: renderGatewayToml({ port: o.port, healthPort, supervisorBin: supervisorHostPath }),
    port: o.port,
    healthPort,
    url: `http://127.0.0.1:${o.port}`,
    socketPath: o.socketPath ?? '/var/run/docker.sock',
    socketGid: o.socketGid,
    labels: {
      [MANAGED_BY_LABEL]: 'nemoclaw',
      [GATEWAY_ROLE_LABEL]: 'openshell-gateway',
      ...o.extraLabels,
    },
  };
}

/** What the container must look like (compared by core/gateway-config.ts `gatewayDrift`). */
export function gatewayShape(s: GatewaySettings): GatewayShape {
  const bind = (p: number) => [{ HostIp: '127.0.0.1', HostPort: String(p) }];
  return {
    image: s.gatewayImage,
    user: '0',
    env: [
      `OPENSHELL_GATEWAY_CONFIG=${GATEWAY_CONFIG_PATH}`,
      // The database URL may not be set in the TOML (config_file.rs rejects database_url there).
      `OPENSHELL_DB_URL=${DB_URL}`,
      `XDG_DATA_HOME=${s.dataDir}`,
      `HOME=${s.dataDir}`,
    ],
    binds: [
      `${s.volumeName}:${STATE_MOUNT}`,
      `${s.socketPath}:${DOCKER_SOCKET_IN_CONTAINER}`,
      `${s.dataDir}:${s.dataDir}`,
      `${s.configHostPath}:${GATEWAY_CONFIG_PATH}:ro`,
    ],
    extraHosts: EXTRA_HOSTS,
    ports: { [`${s.port}/tcp`]: bind(s.port), [`${s.healthPort}/tcp`]: bind(s.healthPort) },
  };
}

/**
 * The container as OpenShell's compose reference runs it (deploy/docker/docker-compose.yml at
 * v0.0.111), bound to loopback only. `Cmd` is cleared so the TOML owns the listeners (the image's
 * default CMD passes `--bind-address 0.0.0.0 --port 8080`, and CLI flags beat the file); the
 * Engine refills an empty Cmd from the image unless an entrypoint is given, so the image's own
 * entrypoint is passed explicitly.
 */
export function gatewayContainerSpec(s: GatewaySettings, o: { entrypoint: string[] }) {
  const shape = gatewayShape(s);
  return {
    name: s.containerName,
    Image: s.gatewayImage,
    Labels: s.labels,
    User: shape.user,
    Entrypoint: o.entrypoint,
    Cmd: [] as string[],
    Env: shape.env,
    ExposedPorts: Object.fromEntries(Object.keys(shape.ports).map((p) => [p, {}])),
    HostConfig: {
      RestartPolicy: { Name: 'unless-stopped' },
      PortBindings: shape.ports,
      Binds: shape.binds,
      ExtraHosts: shape.extraHosts,
      GroupAdd: s.socketGid !== undefined ? [String(s.socketGid)] : [],
    },
  };
}

export interface GatewayObservation {
  container?: {
    id: string;
    running: boolean;
    status: string;
    image: string;
    labels: Record<string, string>;
    shape: ObservedShape;
  };
  volumeExists: boolean;
  /** The copied binary exists and came from this supervisor image reference. */
  supervisorCurrent: boolean;
  /** The gateway.toml on the host is what nemoclaw would write now. */
  configCurrent: boolean;
  registered?: { endpoint: string; active: boolean };
  /** Running, registered and `openshell status` says Connected. */
  healthy: boolean;
}

export type GatewayStepKind =
  | 'docker.supervisor.copy'
  | 'file.write'
  | 'docker.image.ensure'
  | 'docker.volume.create'
  | 'docker.container.remove'
  | 'docker.container.create'
  | 'docker.container.start'
  | 'docker.container.restart'
  | 'openshell.gateway.remove'
  | 'openshell.gateway.add'
  | 'openshell.gateway.select'
  | 'openshell.gateway.wait';

export type GatewayStep = PlanStep<GatewayStepKind>;

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

export function planGateway(
  s: GatewaySettings,
  obs: GatewayObservation,
  o: { recreate?: boolean } = {},
): Plan<GatewayStep> {
  const steps: GatewayStep[] = [];
  const add = (
    kind: GatewayStepKind,
    target: string,
    cause: string,
    args?: Record<string, unknown>,
  ) => steps.push({ kind, target, cause, args });
  const c = obs.container;

  if (c && c.labels[MANAGED_BY_LABEL] !== 'nemoclaw') {
    throw new NemoclawError(
      'conflict',
      `A container named ${s.containerName} exists but nemoclaw did not create it.`,
      {
        hint: `Remove or rename it, or set NEMOCLAW_GATEWAY_CONTAINER to another name.`,
      },
    );
  }
  const found = c ? gatewayDrift(gatewayShape(s), c.shape, s.port) : [];
  const choices = found.filter((d) => d.choice).map((d) => d.what);
  if (choices.length > 0 && !o.recreate) {
    throw new NemoclawError(
      'conflict',
      `The gateway container ${s.containerName} runs with ${choices.join(' and ')}.`,
      {
        hint: `Set the old value back (NEMOCLAW_GATEWAY_PORT / NEMOCLAW_GATEWAY_IMAGE) to keep using it, or move it: docker rm -f ${s.containerName} and run this again (its state volume ${s.volumeName}, which holds the gateway's secrets, is kept and reused).`,
      },
    );
  }
  // nemoclaw's own layout (an older nemoclaw's container, a changed mount or setting) is repaired
  // by recreating the container on the same state volume.
  const drift = found.map((d) => d.what);
  const recreate = drift.length > 0;

  if (!obs.supervisorCurrent) {
    add(
      'docker.supervisor.copy',
      s.supervisorHostPath,
      `the sandbox supervisor binary is not on the host yet (from ${s.supervisorImage})`,
      {
        image: s.supervisorImage,
        path: s.supervisorPathInImage,
      },
    );
  }
  if (!obs.configCurrent)
    add('file.write', s.configHostPath, 'the gateway reads its settings from this file', {
      port: s.port,
      healthPort: s.healthPort,
    });
  if (!c || recreate)
    add('docker.image.ensure', s.gatewayImage, 'the gateway container needs its image');
  if (!obs.volumeExists)
    add('docker.volume.create', s.volumeName, 'the gateway keeps its database and secrets there');
  if (c && recreate)
    add(
      'docker.container.remove',
      s.containerName,
      `its settings changed: ${drift.join(', ')}; the volume is kept`,
    );
  if (!c || recreate) {
    add('docker.container.create', s.containerName, 'no gateway container exists', {
      image: s.gatewayImage,
      port: s.port,
    });
    add('docker.container.start', s.containerName, 'start the new gateway');
  } else if (!c.running) {
    add('docker.container.start', s.containerName, `the gateway container is ${c.status}`);
  } else if (!obs.configCurrent) {
    add('docker.container.restart', s.containerName, 'it reads gateway.toml only when it starts');
  } else if (obs.registered?.active && !obs.healthy && sameUrl(obs.registered.endpoint, s.url)) {
    // Health is judged only through our own active registration; otherwise `status` speaks of
    // another gateway and says nothing about this container.
    // Restart, never recreate: the volume and the container's identity stay as they are.
    add(
      'docker.container.restart',
      s.containerName,
      'the gateway runs but does not answer as Connected',
    );
  }
  if (obs.registered && !sameUrl(obs.registered.endpoint, s.url)) {
    add(
      'openshell.gateway.remove',
      s.name,
      `it is registered at ${obs.registered.endpoint}, not ${s.url}`,
    );
  }
  if (!obs.registered || !sameUrl(obs.registered.endpoint, s.url)) {
    add('openshell.gateway.add', s.name, 'register the gateway with the OpenShell CLI', {
      url: s.url,
      local: true,
    });
  } else if (!obs.registered.active) {
    add('openshell.gateway.select', s.name, 'another gateway is the active one');
  }
  if (steps.length > 0 || !obs.healthy)
    add(
      'openshell.gateway.wait',
      s.name,
      `wait until /readyz answers on port ${s.healthPort} and \`openshell status\` says Connected`,
    );
  return { title: `OpenShell gateway ${s.name} (${s.containerName} on ${s.url})`, steps };
}
