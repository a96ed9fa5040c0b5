/**
 * The gateway's TOML file as v0.0.111 loads it: `crates/openshell-server/src/config_file.rs`
 * (`load`, `ConfigFile`/`OpenShellRoot`/`GatewayFileSection`, all `deny_unknown_fields`) and the
 * docker driver's table (`crates/openshell-driver-docker/src/lib.rs`, `DockerComputeConfig`,
 * `deny_unknown_fields`), after the `[openshell.gateway]` keys listed in `inheritable_keys` are
 * overlaid onto it. A small reader for the TOML subset gateway files use: tables, `key = value`
 * with strings, integers, booleans and arrays of those.
 */
export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [k: string]: TomlValue;
}

export class TomlError extends Error {}

function parseValue(raw: string, where: string): TomlValue {
  const v = raw.trim();
  if (v.startsWith('"')) {
    try {
      return JSON.parse(v) as string;
    } catch {
      throw new TomlError(`${where}: invalid string ${v}`);
    }
  }
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^[+-]?\d+$/.test(v)) return Number(v);
  if (v.startsWith('[') && v.endsWith(']')) {
    const inner = v.slice(1, -1).trim();
    if (!inner) return [];
    return inner.split(',').map((x) => parseValue(x, where));
  }
  throw new TomlError(`${where}: invalid value ${v}`);
}

export function parseToml(text: string): TomlTable {
  const root: TomlTable = {};
  let table = root;
  text.split('\n').forEach((line, i) => {
    const where = `line ${i + 1}`;
    const l = line
      .replace(/\s+#.*$/, '')
      .replace(/^#.*$/, '')
      .trim();
    if (!l) return;
    const header = /^\[([A-Za-z0-9_.-]+)\]$/.exec(l);
    if (header) {
      table = root;
      for (const part of header[1]!.split('.')) {
        const next = (table[part] ??= {});
        if (typeof next !== 'object' || Array.isArray(next))
          throw new TomlError(`${where}: ${part} is not a table`);
        table = next;
      }
      return;
    }
    const kv = /^([A-Za-z0-9_-]+)\s*=\s*(.+)$/.exec(l);
    if (!kv) throw new TomlError(`${where}: expected key = value`);
    if (kv[1]! in table) throw new TomlError(`${where}: duplicate key ${kv[1]}`);
    table[kv[1]!] = parseValue(kv[2]!, where);
  });
  return root;
}

const ROOT_KEYS = ['openshell'];
const OPENSHELL_KEYS = ['version', 'gateway', 'supervisor', 'drivers', 'credential_drivers'];
// GatewayFileSection (config_file.rs).
const GATEWAY_KEYS = [
  ...['bind_address', 'health_bind_address', 'metrics_bind_address', 'log_level'],
  ...['compute_drivers', 'credential_drivers', 'default_credential_driver', 'credential_storage'],
  ...['sandbox_namespace', 'ssh_session_ttl_secs', 'grpc_rate_limit_requests'],
  ...['grpc_rate_limit_window_seconds', 'policy_validation_failure_mode', 'server_sans'],
  ...['enable_loopback_service_http', 'default_image', 'supervisor_image'],
  ...['client_tls_secret_name', 'service_account_name', 'host_gateway_ip'],
  ...['enable_user_namespaces', 'sa_token_ttl_secs', 'guest_tls_ca', 'guest_tls_cert'],
  ...['guest_tls_key', 'disable_tls', 'tls', 'oidc', 'auth', 'interceptors'],
  ...['provider_profile_sources', 'mtls_auth', 'gateway_jwt', 'otlp', 'database_url'],
];
// DockerComputeConfig (openshell-driver-docker/src/lib.rs).
const DOCKER_KEYS = [
  ...['socket_path', 'default_image', 'image_pull_policy', 'sandbox_namespace', 'grpc_endpoint'],
  ...['supervisor_bin', 'supervisor_image', 'guest_tls_ca', 'guest_tls_cert', 'guest_tls_key'],
  ...['network_name', 'host_gateway_ip', 'ssh_socket_path', 'sandbox_pids_limit'],
  'enable_bind_mounts',
];
const DOCKER_INHERITS = [
  ...['sandbox_namespace', 'default_image', 'supervisor_image', 'host_gateway_ip'],
  ...['guest_tls_ca', 'guest_tls_cert', 'guest_tls_key'],
];

function unknown(t: TomlTable, allowed: string[], where: string): void {
  for (const k of Object.keys(t)) {
    if (!allowed.includes(k)) {
      throw new TomlError(
        `unknown field \`${k}\` in ${where}, expected one of ${allowed.join(', ')}`,
      );
    }
  }
}

const table = (v: TomlValue | undefined): TomlTable =>
  v && typeof v === 'object' && !Array.isArray(v) ? v : {};

export interface GatewayFile {
  gateway: TomlTable;
  /** `[openshell.drivers.docker]` with the inherited gateway keys filled in. */
  docker: TomlTable;
}

/** Loads the file as the gateway would, or throws TomlError with the reason it would refuse it. */
export function loadGatewayFile(text: string): GatewayFile {
  if (!text.trim()) return { gateway: {}, docker: {} };
  const root = parseToml(text);
  unknown(root, ROOT_KEYS, 'the root table');
  const os = table(root.openshell);
  unknown(os, OPENSHELL_KEYS, '[openshell]');
  if (typeof os.version === 'number' && os.version > 1)
    throw new TomlError(`unsupported config schema version ${os.version} (this gateway reads 1)`);
  const gateway = table(os.gateway);
  unknown(gateway, GATEWAY_KEYS, '[openshell.gateway]');
  if ('database_url' in gateway) {
    throw new TomlError(
      'database_url may not be set in the config file; use OPENSHELL_DB_URL or --db-url',
    );
  }
  const own = table(table(os.drivers).docker);
  unknown(own, DOCKER_KEYS, '[openshell.drivers.docker]');
  const docker: TomlTable = {};
  for (const k of DOCKER_INHERITS) if (k in gateway) docker[k] = gateway[k]!;
  Object.assign(docker, own);
  return { gateway, docker };
}

/** The port of a `SocketAddr` string such as "127.0.0.1:8080", or throws. */
export function socketPort(v: TomlValue | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  const m = typeof v === 'string' ? /^(?:\[[0-9a-fA-F:]+\]|[0-9.]+):(\d{1,5})$/.exec(v) : null;
  if (!m) throw new TomlError(`${field}: invalid socket address ${JSON.stringify(v)}`);
  return Number(m[1]);
}
