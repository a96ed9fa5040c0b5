/**
 * The gateway container's configuration as OpenShell v0.0.111 itself runs it
 * (`deploy/docker/docker-compose.yml`, `deploy/docker/gateway.toml`; openshell-contract.md §10):
 * the `gateway.toml` nemoclaw writes, and what about a running container counts as drift. Pure.
 */

/** Where the TOML is mounted read-only and what `OPENSHELL_GATEWAY_CONFIG` names. */
export const GATEWAY_CONFIG_PATH = '/etc/openshell/gateway.toml';
/**
 * The state volume's mount. The database stays there (`OPENSHELL_DB_URL`), so a gateway made
 * before the TOML layout keeps its secrets when it is recreated.
 */
export const STATE_MOUNT = '/var/openshell';
export const DB_URL = `sqlite:${STATE_MOUNT}/openshell.db?mode=rwc`;
export const DOCKER_SOCKET_IN_CONTAINER = '/var/run/docker.sock';
/** Linux Docker does not add these names itself (compose reference, "Linux note"). */
export const EXTRA_HOSTS = [
  'host.openshell.internal:host-gateway',
  'host.docker.internal:host-gateway',
];

export interface GatewayConfigInput {
  /** gRPC port: bound in the TOML, published on 127.0.0.1 at the same number. */
  port: number;
  /** Health port (`/healthz`, `/readyz`), likewise. */
  healthPort: number;
  /** The supervisor binary, on the same-path data folder (`supervisor_bin`). */
  supervisorBin: string;
}

const str = (v: string) => JSON.stringify(v); // TOML basic strings share JSON's escapes

/**
 * `[openshell.gateway]` keys are those of `GatewayFileSection` and `[openshell.drivers.docker]` keys
 * those of `DockerComputeConfig` (both `deny_unknown_fields`: `crates/openshell-server/src/
 * config_file.rs`, `crates/openshell-driver-docker/src/lib.rs`). The listeners bind every
 * interface of the container's own network namespace: Docker's published port reaches the container
 * through its bridge address, and only 127.0.0.1 on the host is published. The docker driver keeps
 * only the scheme of `grpc_endpoint` and uses the gateway's own bind port for callbacks.
 */
export function renderGatewayToml(c: GatewayConfigInput): string {
  return [
    '# Written by nemoclaw; changes are overwritten. OpenShell v0.0.111 gateway configuration.',
    '[openshell]',
    'version = 1',
    '',
    '[openshell.gateway]',
    `bind_address = ${str(`0.0.0.0:${c.port}`)}`,
    `health_bind_address = ${str(`0.0.0.0:${c.healthPort}`)}`,
    'log_level = "info"',
    'compute_drivers = ["docker"]',
    '# Plaintext only because both ports are published on 127.0.0.1 alone.',
    'disable_tls = true',
    '',
    '[openshell.drivers.docker]',
    `socket_path = ${str(DOCKER_SOCKET_IN_CONTAINER)}`,
    `supervisor_bin = ${str(c.supervisorBin)}`,
    'image_pull_policy = "IfNotPresent"',
    'sandbox_namespace = "openshell"',
    `grpc_endpoint = ${str(`http://host.openshell.internal:${c.port}`)}`,
    '',
  ].join('\n');
}

/** What nemoclaw expects of the container; compared with what the Engine reports. */
export interface GatewayShape {
  image: string;
  env: string[];
  user: string;
  binds: string[];
  extraHosts: string[];
  ports: Record<string, { HostIp: string; HostPort: string }[]>;
}

export interface ObservedShape {
  image: string;
  env: string[];
  user: string;
  cmd: string[];
  binds: string[];
  extraHosts: string[];
  ports: Record<string, { HostIp: string; HostPort: string }[]>;
}

const bindingList = (ports: ObservedShape['ports']) =>
  Object.entries(ports)
    .flatMap(([c, bs]) => (bs ?? []).map((b) => `${c}->${b.HostIp}:${b.HostPort}`))
    .sort()
    .join(',');

/**
 * Every way the container differs from `want`, one phrase each. The image and the gRPC port are
 * the user's choices (`choice: true`): changing them moves the gateway, so they are explained,
 * not silently repaired. Everything else is nemoclaw's own layout and is repaired.
 */
export function gatewayDrift(
  want: GatewayShape,
  have: ObservedShape,
  grpcPort: number,
): { what: string; choice: boolean }[] {
  const out: { what: string; choice: boolean }[] = [];
  if (have.image !== want.image)
    out.push({ what: `image ${have.image} (wanted ${want.image})`, choice: true });
  const hostPorts = Object.values(have.ports).flatMap((bs) => (bs ?? []).map((b) => b.HostPort));
  if (hostPorts.length > 0 && !hostPorts.includes(String(grpcPort)))
    out.push({ what: `port ${hostPorts[0]} (wanted ${grpcPort})`, choice: true });
  else if (bindingList(have.ports) !== bindingList(want.ports))
    out.push({
      what: 'published ports (gRPC and health on 127.0.0.1, the same numbers inside)',
      choice: false,
    });
  if (have.cmd.length > 0)
    out.push({ what: `a command (${have.cmd.join(' ')}) that overrides the TOML`, choice: false });
  if (have.user !== want.user)
    out.push({ what: `user "${have.user}" (wanted "0")`, choice: false });
  const missingEnv = want.env.filter((e) => !have.env.includes(e));
  if (missingEnv.length > 0)
    out.push({
      what: `environment (missing ${missingEnv.map((e) => e.split('=')[0]).join(', ')})`,
      choice: false,
    });
  const stale = have.env.filter((e) =>
    /^OPENSHELL_(DOCKER_SUPERVISOR_BIN|GRPC_ENDPOINT|DRIVERS|DISABLE_TLS)=/.test(e),
  );
  if (stale.length > 0)
    out.push({
      what: `settings v0.0.111 ignores (${stale.map((e) => e.split('=')[0]).join(', ')})`,
      choice: false,
    });
  const missingBinds = want.binds.filter((b) => !have.binds.includes(b));
  if (missingBinds.length > 0)
    out.push({ what: `mounts (missing ${missingBinds.join(', ')})`, choice: false });
  const missingHosts = want.extraHosts.filter((h) => !have.extraHosts.includes(h));
  if (missingHosts.length > 0)
    out.push({ what: `extra hosts (missing ${missingHosts.join(', ')})`, choice: false });
  return out;
}
