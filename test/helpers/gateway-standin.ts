/**
 * Stand-in images for the OpenShell gateway and supervisor.
 *
 * The gateway stand-in starts the way v0.0.111's does (deploy/docker/Dockerfile.gateway): its
 * entrypoint is /usr/local/bin/openshell-gateway and its default CMD passes
 * `--bind-address 0.0.0.0 --port 8080`, which beat the TOML (crates/openshell-server/src/cli.rs,
 * merge_file_into_args). It reads the file OPENSHELL_GATEWAY_CONFIG names, refuses keys it does not
 * know (config_file.rs, deny_unknown_fields), requires OPENSHELL_DB_URL and an existing
 * supervisor_bin (openshell-driver-docker lib.rs, canonicalize_existing_file), then serves HTTP on
 * the bind port and `/readyz` on the health port. So a wrong TOML, a left-over CMD or a published
 * port that is not the bind port fails here as it would with the real gateway.
 *
 * The supervisor stand-in holds a static ELF (busybox) at /openshell-sandbox, where the real
 * supervisor image keeps its binary (deploy/docker/Dockerfile.supervisor).
 */
import { readFileSync } from 'node:fs';
import { findBusybox, importBusyboxImage, uniqueName } from './docker.ts';

// Traps TERM so stop/restart take milliseconds. A marker in the state volume makes the next start
// hang without serving, to play an unhealthy gateway.
const GATEWAY_SCRIPT = `#!/bin/sh
fail() { echo "Error: $*" >&2; exit 1; }
port=""; health=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --bind-address) shift 2 ;;
    *) fail "unexpected argument '$1'" ;;
  esac
done
cfg="$OPENSHELL_GATEWAY_CONFIG"
[ -n "$OPENSHELL_DB_URL" ] || fail "OPENSHELL_DB_URL is not set"
if [ -n "$cfg" ]; then
  [ -f "$cfg" ] || fail "failed to read gateway config $cfg"
  section=""
  while IFS= read -r line || [ -n "$line" ]; do
    line=$(echo "\${line%%#*}" | sed 's/^ *//;s/ *$//')
    [ -z "$line" ] && continue
    case "$line" in "["*"]") section="$line"; continue ;; esac
    key=$(echo "$line" | sed 's/ *=.*//')
    value=$(echo "$line" | sed 's/^[^=]*= *//;s/^"//;s/"$//')
    case "$section $key" in
      "[openshell] version") [ "$value" = 1 ] || fail "unsupported config version $value" ;;
      "[openshell.gateway] bind_address") [ -n "$port" ] || port="\${value##*:}" ;;
      "[openshell.gateway] health_bind_address") health="\${value##*:}" ;;
      "[openshell.gateway] log_level"|"[openshell.gateway] compute_drivers"|"[openshell.gateway] disable_tls") ;;
      "[openshell.drivers.docker] supervisor_bin")
        [ -f "$value" ] || fail "docker supervisor binary '$value' does not exist or is not a file" ;;
      "[openshell.drivers.docker] socket_path"|"[openshell.drivers.docker] image_pull_policy") ;;
      "[openshell.drivers.docker] sandbox_namespace"|"[openshell.drivers.docker] grpc_endpoint") ;;
      "[openshell.drivers.docker] supervisor_image"|"[openshell.drivers.docker] default_image") ;;
      *) fail "unknown field \\\`$key\\\` in $section of $cfg" ;;
    esac
  done < "$cfg"
fi
[ -n "$port" ] || port=8080
mkdir -p /tmp/www /tmp/health && echo openshell-gateway-standin > /tmp/www/index.html
echo ok > /tmp/health/readyz && echo ok > /tmp/health/healthz
trap 'kill $child $hchild 2>/dev/null; exit 0' TERM INT
if [ -f /var/openshell/sick-once ]; then
  rm -f /var/openshell/sick-once
  echo "stand-in: pretending to hang"
  sleep 100000 & child=$!
else
  echo "stand-in: gRPC on $port, health on \${health:-none}"
  httpd -f -p "$port" -h /tmp/www & child=$!
  if [ -n "$health" ]; then httpd -f -p "$health" -h /tmp/health & hchild=$!; fi
fi
wait $child
`;

export async function buildGatewayStandins(): Promise<{ gateway: string; supervisor: string }> {
  const gateway = `${uniqueName('nc-test-gateway')}:1`;
  const supervisor = `${uniqueName('nc-test-supervisor')}:1`;
  await Promise.all([
    importBusyboxImage(gateway, {
      extra: [{ path: '/usr/local/bin/openshell-gateway', content: GATEWAY_SCRIPT, mode: 0o755 }],
      entrypoint: ['/usr/local/bin/openshell-gateway'],
      cmd: ['--bind-address', '0.0.0.0', '--port', '8080'],
    }),
    importBusyboxImage(supervisor, {
      extra: [{ path: '/openshell-sandbox', content: readFileSync(findBusybox()), mode: 0o555 }],
      entrypoint: ['/openshell-sandbox'],
    }),
  ]);
  return { gateway, supervisor };
}
