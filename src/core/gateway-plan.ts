/**
 * The local OpenShell gateway (product.md §3): its settings, its container spec, and the plan that
 * turns what exists into what should exist. Pure; the use case observes and applies.
 */
import type { Blueprint } from './blueprint/schema.ts';
import { NemoclawError } from './errors.ts';
import type { Plan, PlanStep } from './plan.ts';

export const MANAGED_BY_LABEL = 'ai.nvidia.nemoclaw.managed-by';
export const GATEWAY_ROLE_LABEL = 'ai.nvidia.nemoclaw.role';
export const DEFAULT_GATEWAY_CONTAINER = 'nemoclaw-openshell-gateway';
export const DEFAULT_GATEWAY_VOLUME = 'nemoclaw-openshell-state';
export const DEFAULT_GATEWAY_NAME = 'nemoclaw';
/** The gateway listens on 8080 inside its container; the host port is what varies. */
export const GATEWAY_CONTAINER_PORT = 8080;
export const STATE_MOUNT = '/var/openshell';

export interface GatewaySettings {
  /** The name registered with `openshell gateway add`. */
  name: string;
  containerName: string;
  volumeName: string;
  gatewayImage: string;
  supervisorImage: string;
  /** Where the binary lives inside the supervisor image. */
  supervisorPathInImage: string;
  /** Where it is copied on the host; mounted read-only at the same path (the Engine resolves it). */
  supervisorHostPath: string;
  port: number;
  url: string;
  /** The Engine's socket, mounted into the gateway so its docker driver can create sandboxes. */
  socketPath: string;
  socketGid?: number;
  labels: Record<string, string>;
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
  return {
    name: DEFAULT_GATEWAY_NAME,
    containerName: env.NEMOCLAW_GATEWAY_CONTAINER?.trim() || DEFAULT_GATEWAY_CONTAINER,
    volumeName: env.NEMOCLAW_GATEWAY_VOLUME?.trim() || DEFAULT_GATEWAY_VOLUME,
    gatewayImage: env.NEMOCLAW_GATEWAY_IMAGE?.trim() || bp.openshell.gateway_image,
    supervisorImage: env.NEMOCLAW_SUPERVISOR_IMAGE?.trim() || bp.openshell.supervisor_image,
    supervisorPathInImage: bp.openshell.supervisor_binary_path,
    supervisorHostPath: `${o.supervisorDir.replace(/\/+$/, '')}/${binName}`,
    port: o.port,
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

/** The container, as OpenShell's container-gateway guide runs it, bound to loopback only. */
export function gatewayContainerSpec(s: GatewaySettings) {
  const cport = `${GATEWAY_CONTAINER_PORT}/tcp`;
  return {
    name: s.containerName,
    Image: s.gatewayImage,
    Labels: s.labels,
    Env: [
      'OPENSHELL_DRIVERS=docker',
      // The docker driver keeps only the scheme and substitutes its own bind port.
      `OPENSHELL_GRPC_ENDPOINT=http://host.openshell.internal:${GATEWAY_CONTAINER_PORT}`,
      `OPENSHELL_DB_URL=sqlite:${STATE_MOUNT}/openshell.db`,
      // Plaintext is acceptable only because the port is bound to 127.0.0.1.
      'OPENSHELL_DISABLE_TLS=true',
      `OPENSHELL_DOCKER_SUPERVISOR_BIN=${s.supervisorHostPath}`,
    ],
    ExposedPorts: { [cport]: {} },
    HostConfig: {
      RestartPolicy: { Name: 'unless-stopped' },
      PortBindings: { [cport]: [{ HostIp: '127.0.0.1', HostPort: String(s.port) }] },
      Binds: [
        `${s.volumeName}:${STATE_MOUNT}`,
        `${s.socketPath}:/var/run/docker.sock`,
        `${s.supervisorHostPath}:${s.supervisorHostPath}:ro`,
      ],
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
    hostPort?: string;
  };
  volumeExists: boolean;
  /** The copied binary exists and came from this supervisor image reference. */
  supervisorCurrent: boolean;
  registered?: { endpoint: string; active: boolean };
  /** Running, registered and `openshell status` says Connected. */
  healthy: boolean;
}

export type GatewayStepKind =
  | 'supervisor.copy'
  | 'image.ensure'
  | 'volume.create'
  | 'container.remove'
  | 'container.create'
  | 'container.start'
  | 'container.restart'
  | 'openshell.gateway.remove'
  | 'openshell.gateway.add'
  | 'openshell.gateway.select'
  | 'gateway.wait';

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
  const drift: string[] = [];
  if (c && c.image !== s.gatewayImage) drift.push(`image ${c.image} (wanted ${s.gatewayImage})`);
  if (c && c.hostPort !== undefined && c.hostPort !== String(s.port))
    drift.push(`port ${c.hostPort} (wanted ${s.port})`);
  if (drift.length > 0 && !o.recreate) {
    throw new NemoclawError(
      'conflict',
      `The gateway container ${s.containerName} runs with ${drift.join(' and ')}.`,
      {
        hint: `Recreate it with --recreate-gateway (its state volume ${s.volumeName}, which holds the gateway's secrets, is kept), or set the old value back.`,
      },
    );
  }
  const recreate = drift.length > 0;

  if (!obs.supervisorCurrent) {
    add(
      'supervisor.copy',
      s.supervisorHostPath,
      `the sandbox supervisor binary is not on the host yet (from ${s.supervisorImage})`,
      {
        image: s.supervisorImage,
        path: s.supervisorPathInImage,
      },
    );
  }
  if (!c || recreate) add('image.ensure', s.gatewayImage, 'the gateway container needs its image');
  if (!obs.volumeExists)
    add('volume.create', s.volumeName, 'the gateway keeps its database and secrets there');
  if (c && recreate)
    add(
      'container.remove',
      s.containerName,
      `its settings changed: ${drift.join(', ')}; the volume is kept`,
    );
  if (!c || recreate) {
    add('container.create', s.containerName, 'no gateway container exists', {
      image: s.gatewayImage,
      port: s.port,
    });
    add('container.start', s.containerName, 'start the new gateway');
  } else if (!c.running) {
    add('container.start', s.containerName, `the gateway container is ${c.status}`);
  } else if (obs.registered?.active && !obs.healthy && sameUrl(obs.registered.endpoint, s.url)) {
    // Health is judged only through our own active registration; otherwise `status` speaks of
    // another gateway and says nothing about this container.
    // Restart, never recreate: the volume and the container's identity stay as they are.
    add('container.restart', s.containerName, 'the gateway runs but does not answer as Connected');
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
    add('gateway.wait', s.name, 'wait until `openshell status` says Connected');
  return { title: `OpenShell gateway ${s.name} (${s.containerName} on ${s.url})`, steps };
}
