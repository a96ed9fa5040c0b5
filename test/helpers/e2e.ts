/**
 * End-to-end harness: the built CLI against the OpenShell simulator (real containers), stand-in
 * gateway, supervisor and agent base images, a local inference server, and a private
 * NEMOCLAW_HOME. Everything is labelled with the run id and removed by `cleanup`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_ID, cleanupRun, docker, importBusyboxImage, uniqueName } from './docker.ts';
import { buildGatewayStandins } from './gateway-standin.ts';
import { startInferenceServer, GOOD_KEY, type InferenceServer } from './inference-server.ts';
import { freePort } from './net.ts';
import { createSimulator, type Simulator } from './simulator.ts';
import { withSandboxWorkspaces } from './sim-workspaces.ts';

export const CLI = join(import.meta.dirname, '../../dist/nemoclaw.js');

// The agent's stand-in: runs in the foreground like the real one, stops fast on TERM, serves its
// dashboard on the sandbox's loopback at the --port it is given (where forwards land), and answers
// lines on its stdin.
const AGENT_SCRIPT = `#!/bin/sh
trap 'kill $child $reader 2>/dev/null; exit 0' TERM INT
echo "agent stand-in: $0 $*"
# Like a real agent CLI, any other subcommand (security audit, config validate…) is an error at once.
case "\${1:-}" in gateway|serve) ;; *) echo "agent stand-in: unknown command: $*" >&2; exit 1;; esac
port=""
while [ $# -gt 0 ]; do [ "$1" = --port ] && port="$2"; shift; done
if [ -n "$port" ]; then
  mkdir -p /tmp/dashboard && echo "agent dashboard on $port" > /tmp/dashboard/index.html
  httpd -f -p "127.0.0.1:$port" -h /tmp/dashboard & child=$!
fi
# What sandbox connect types reaches the main process (v0.0.111 attaches to it): answer it, from a
# background reader (fd 3 keeps stdin; a background job's own stdin would be /dev/null) while the
# foreground stays the sleep loop that lets the TERM trap run at once.
exec 3<&0
(while IFS= read -r line; do echo "agent heard: $line"; done) <&3 &
reader=$!
while :; do sleep 1; done
`;

export interface Images {
  gateway: string;
  supervisor: string;
  base: string;
}

/** Builds the stand-in images once per test file. */
export async function buildStandinImages(): Promise<Images> {
  const base = `${uniqueName('nc-test-agent-base')}:1`;
  const [gw] = await Promise.all([
    buildGatewayStandins(),
    importBusyboxImage(base, {
      extra: [
        { path: '/usr/local/bin/openclaw', content: AGENT_SCRIPT, mode: 0o755 },
        { path: '/usr/local/bin/hermes', content: AGENT_SCRIPT, mode: 0o755 },
        { path: '/sandbox/.keep', content: '' },
      ],
    }),
  ]);
  return { ...gw, base };
}

export interface World {
  home: string;
  sim: Simulator;
  inference: InferenceServer;
  env: Record<string, string>;
  gatewayContainer: string;
  cli(
    args: string[],
    o?: { env?: Record<string, string>; input?: string },
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  cleanup(): Promise<void>;
}

export async function createWorld(
  images: Images,
  o: {
    simEnv?: Record<string, string>;
    env?: Record<string, string>;
    /** Keys the inference server accepts besides GOOD_KEY. */
    acceptKeys?: string[];
  } = {},
): Promise<World> {
  const home = mkdtempSync(join(tmpdir(), 'nc-e2e-home-'));
  const sim = createSimulator({ docker: true, env: o.simEnv });
  const inference = await startInferenceServer({ acceptKeys: o.acceptKeys });
  const gatewayContainer = uniqueName('nc-e2e-gateway');
  const [gatewayPort, dashboardPort, healthPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const env: Record<string, string> = {
    ...sim.env,
    HOME: home,
    NEMOCLAW_HOME: join(home, '.nemoclaw'),
    NEMOCLAW_GATEWAY_IMAGE: images.gateway,
    NEMOCLAW_SUPERVISOR_IMAGE: images.supervisor,
    NEMOCLAW_SANDBOX_BASE_IMAGE: images.base,
    NEMOCLAW_GATEWAY_CONTAINER: gatewayContainer,
    NEMOCLAW_GATEWAY_VOLUME: `${gatewayContainer}-state`,
    NEMOCLAW_GATEWAY_PORT: String(gatewayPort),
    NEMOCLAW_GATEWAY_HEALTH_PORT: String(healthPort),
    NEMOCLAW_DASHBOARD_PORT: String(dashboardPort),
    NEMOCLAW_TEST_RUN_ID: RUN_ID,
    NEMOCLAW_PROVIDER: 'build',
    NEMOCLAW_ENDPOINT_URL: `${inference.url}/v1`,
    NEMOCLAW_MODEL: 'test-model',
    NVIDIA_API_KEY: GOOD_KEY,
    NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE: '1',
    NEMOCLAW_NON_INTERACTIVE: '1',
    NO_COLOR: '1',
    ...o.env,
  };
  delete env.NEMOCLAW_PACKAGE_ROOT;
  return {
    home,
    // Direct simulator calls about a sandbox ask in its workspace, as nemoclaw does.
    sim: withSandboxWorkspaces(sim, env.NEMOCLAW_HOME!),
    inference,
    env,
    gatewayContainer,
    cli: (args, co = {}) =>
      runChild(process.execPath, [CLI, ...args], { ...env, ...co.env }, co.input),
    async cleanup() {
      await inference.close();
      const d = docker();
      await d
        .getContainer(gatewayContainer)
        .remove({ force: true, v: true })
        .catch(() => {});
      await d
        .getVolume(`${gatewayContainer}-state`)
        .remove()
        .catch(() => {});
      // Sandbox containers the simulator made for this world.
      const filters = JSON.stringify({ label: [`openshell.sim/state=${sim.stateDir}`] });
      for (const c of await d.listContainers({ all: true, filters })) {
        await d
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => {});
      }
      sim.cleanup();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export function runChild(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export async function cleanupImages(): Promise<void> {
  await cleanupRun();
}
