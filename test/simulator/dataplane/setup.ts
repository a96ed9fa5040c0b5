/**
 * Puts a sandbox container behind the simulated data plane (runs in the `openshell` CLI process):
 * an `internal: true` Docker network (no route out) per simulator state folder, one proxy process
 * on the host listening on that network's gateway address, port 3128 (OpenShell's proxy listens
 * on `10.200.0.1:3128`, docs/observability/logging.mdx), the sandbox CA, and the environment
 * OpenShell gives sandbox processes (crates/openshell-supervisor-process/src/child_env.rs
 * `proxy_env_vars`, `tls_env_vars`) plus placeholders for attached providers' credentials.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { create as tarCreate } from 'tar';
import { SimError } from '../io.ts';
import type { SandboxRec } from '../state.ts';
import { allScopes, readState, stateDir as stateDirOf } from '../state.ts';
import { SANDBOX_BUNDLE_PATH, SANDBOX_CA_PATH, caPem, ensureCa } from './ca.ts';
import { dataplaneDir } from './ocsf.ts';
import { placeholderEnv } from './secrets.ts';

export const PROXY_PORT = 3128;
export const NETWORK_LABEL = 'openshell.sim/dataplane';

export interface ProxyInfo {
  pid: number;
  ip: string;
  port: number;
  network: string;
}

/** OPENSHELL_SIM_DATAPLANE=0 keeps the old `NetworkMode: none` sandboxes. */
export const dataplaneEnabled = () => process.env.OPENSHELL_SIM_DATAPLANE !== '0';

export function networkName(stateDir: string): string {
  return `openshell-sim-${createHash('sha256').update(stateDir).digest('hex').slice(0, 12)}`;
}

async function ensureNetwork(d: Docker, stateDir: string): Promise<{ name: string; ip: string }> {
  const name = networkName(stateDir);
  const gatewayOf = (info: { IPAM?: { Config?: { Gateway?: string }[] } }) =>
    info.IPAM?.Config?.[0]?.Gateway;
  try {
    const ip = gatewayOf(await d.getNetwork(name).inspect());
    if (ip) return { name, ip };
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode !== 404) throw e;
  }
  const labels: Record<string, string> = { [NETWORK_LABEL]: stateDir };
  if (process.env.NEMOCLAW_TEST_RUN_ID) labels['nemoclaw.test'] = process.env.NEMOCLAW_TEST_RUN_ID;
  try {
    await d.createNetwork({ Name: name, Driver: 'bridge', Internal: true, Labels: labels });
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode !== 409) throw e; // a concurrent create won
  }
  const ip = gatewayOf(await d.getNetwork(name).inspect());
  if (!ip) throw new SimError(`network ${name} has no gateway address`);
  return { name, ip };
}

const infoFile = (stateDir: string) => join(dataplaneDir(stateDir), 'proxy.json');

function answers(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: ip, port, timeout: 1000 }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.on('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

function readInfo(stateDir: string): ProxyInfo | undefined {
  try {
    return JSON.parse(readFileSync(infoFile(stateDir), 'utf8')) as ProxyInfo;
  } catch {
    return undefined;
  }
}

/** Starts the proxy (detached, logs to dataplane/proxy.log) unless one already answers. */
async function ensureProxy(stateDir: string, network: string, ip: string): Promise<ProxyInfo> {
  const current = readInfo(stateDir);
  if (current && current.network === network && (await answers(current.ip, current.port))) {
    return current;
  }
  const dir = dataplaneDir(stateDir);
  const lock = join(dir, 'spawn.lock');
  mkdirSync(dir, { recursive: true });
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const other = readInfo(stateDir);
      if (other && (await answers(other.ip, other.port))) return other;
      if (Date.now() > deadline) throw new SimError('data plane proxy did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    const again = readInfo(stateDir);
    if (again && again.network === network && (await answers(again.ip, again.port))) return again;
    rmSync(infoFile(stateDir), { force: true });
    const log = openSync(join(dir, 'proxy.log'), 'a');
    // Only what the proxy needs: never the caller's secret-bearing environment.
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const pass = [
      'OPENSHELL_SIM_HOSTS',
      'OPENSHELL_SIM_SECRETS',
      'NEMOCLAW_TEST_RUN_ID',
      'DOCKER_HOST',
      'HOME',
    ];
    for (const k of pass) {
      if (process.env[k]) env[k] = process.env[k];
    }
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, 'main.ts'), stateDir, network, ip, String(PROXY_PORT)],
      { detached: true, stdio: ['ignore', log, log], env },
    );
    child.unref();
    closeSync(log);
    while (Date.now() < deadline) {
      const info = readInfo(stateDir);
      if (info && (await answers(info.ip, info.port))) return info;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const tail = existsSync(join(dir, 'proxy.log'))
      ? readFileSync(join(dir, 'proxy.log'), 'utf8').slice(-2000)
      : '';
    throw new SimError(`data plane proxy did not start:\n${tail}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface SandboxNetworking {
  networkMode: string;
  env: Record<string, string>;
  /** Files to put into the container before it starts: path → content. */
  files: Record<string, string>;
}

/** Credential keys of the providers attached to the sandbox (their placeholders go in its env). */
function attachedKeys(rec: SandboxRec): string[] {
  for (const [, srv] of allScopes(readState())) {
    if (Object.values(srv.sandboxes).some((r) => r.id === rec.id)) {
      return rec.providers.flatMap((p) => srv.providers[p]?.credential_keys ?? []);
    }
  }
  return [];
}

/** The network, the CA and a running proxy (again, if it went away while a sandbox was stopped). */
export async function ensurePlane(d: Docker): Promise<ProxyInfo> {
  const stateDir = stateDirOf();
  const { name, ip } = await ensureNetwork(d, stateDir);
  await ensureCa(stateDir);
  return ensureProxy(stateDir, name, ip);
}

/** Network, environment and CA files for a new sandbox container. */
export async function sandboxNetworking(d: Docker, rec: SandboxRec): Promise<SandboxNetworking> {
  const stateDir = stateDirOf();
  const info = await ensurePlane(d);
  const url = `http://${info.ip}:${info.port}`;
  const local = '127.0.0.1,localhost,::1';
  const env: Record<string, string> = {
    ALL_PROXY: url,
    HTTP_PROXY: url,
    HTTPS_PROXY: url,
    NO_PROXY: local,
    http_proxy: url,
    https_proxy: url,
    no_proxy: local,
    grpc_proxy: url,
    NODE_USE_ENV_PROXY: '1',
    NODE_EXTRA_CA_CERTS: SANDBOX_CA_PATH,
    DENO_CERT: SANDBOX_CA_PATH,
    SSL_CERT_FILE: SANDBOX_BUNDLE_PATH,
    REQUESTS_CA_BUNDLE: SANDBOX_BUNDLE_PATH,
    CURL_CA_BUNDLE: SANDBOX_BUNDLE_PATH,
    GIT_SSL_CAINFO: SANDBOX_BUNDLE_PATH,
    ...placeholderEnv(attachedKeys(rec)),
  };
  const ca = caPem(stateDir);
  const system = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt'].find(
    (f) => existsSync(f),
  );
  const bundle = `${system ? readFileSync(system, 'utf8') : ''}\n${ca}`;
  return {
    networkMode: info.network,
    env,
    files: { [SANDBOX_CA_PATH]: ca, [SANDBOX_BUNDLE_PATH]: bundle },
  };
}

/** Writes files (absolute paths) into a created container before it starts. */
export async function putFiles(
  d: Docker,
  id: string,
  files: Record<string, string>,
): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'openshell-sim-files-'));
  try {
    const entries: string[] = [];
    for (const [path, content] of Object.entries(files)) {
      const rel = path.replace(/^\/+/, '');
      mkdirSync(join(root, dirname(rel)), { recursive: true });
      writeFileSync(join(root, rel), content, { mode: 0o644 });
      entries.push(rel);
    }
    const tarball = tarCreate({ cwd: root }, entries) as unknown as Readable;
    await d.getContainer(id).putArchive(tarball as never, { path: '/' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
