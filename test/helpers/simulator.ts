/**
 * The OpenShell simulator for tests (test/simulator/README.md). Typical use:
 *
 *   const sim = createSimulator({ docker: false });
 *   const gw = await startHealthServer();              // something for `status` to reach
 *   await sim.run(['gateway', 'add', gw.url, '--local', '--name', 'nemoclaw']);
 *   const client = createOpenshellClient({ bin: sim.bin, gateway: 'nemoclaw', env: sim.env });
 *   …
 *   sim.invocations();   // what was called (argv, names of secret-looking env vars)
 *   sim.cleanup(); await gw.close(); await cleanupRun();  // containers carry nemoclaw.test=RUN_ID
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RUN_ID } from './docker.ts';

export const SIMULATOR_BIN = resolve(import.meta.dirname, '../simulator/bin/openshell');

export interface Invocation {
  ts: number;
  pid: number;
  argv: string[];
  /** The subcommand path, e.g. "sandbox create"; null when the argv did not parse. */
  command: string | null;
  /** Names (never values) of secret-looking variables in the simulator's environment. */
  secretEnv: string[];
  /** Names of every variable the call received (sh's own PWD/SHLVL/_ left out). */
  envNames: string[];
}

export interface SimRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Simulator {
  bin: string;
  stateDir: string;
  logFile: string;
  /** Full environment for a child that runs the simulator (process.env plus the knobs). */
  env: Record<string, string>;
  /** Runs the simulator directly (setup steps, strictness checks). */
  run(args: string[], o?: { env?: Record<string, string>; input?: string }): Promise<SimRun>;
  invocations(): Invocation[];
  cleanup(): void;
}

export interface SimulatorOptions {
  /** false sets OPENSHELL_SIM_DOCKER=0; true requires an engine; default: use one if it answers. */
  docker?: boolean;
  /** OPENSHELL_SIM_READY_DELAY_MS (default here 100 ms to keep tests quick). */
  readyDelayMs?: number;
  /** Any other knob: OPENSHELL_SIM_FAIL, OPENSHELL_SIM_LATENCY, OPENSHELL_SIM_POLICY_LOAD, … */
  env?: Record<string, string>;
}

export function createSimulator(o: SimulatorOptions = {}): Simulator {
  const stateDir = mkdtempSync(join(tmpdir(), 'openshell-sim-'));
  const logFile = join(stateDir, 'invocations.jsonl');
  // The simulated gateway's credential store, apart from the state a CLI could see.
  const secretsDir = mkdtempSync(join(tmpdir(), 'openshell-sim-secrets-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, {
    OPENSHELL_SIM_STATE: stateDir,
    OPENSHELL_SIM_LOG: logFile,
    OPENSHELL_SIM_SECRETS: secretsDir,
    OPENSHELL_SIM_READY_DELAY_MS: String(o.readyDelayMs ?? 100),
    NEMOCLAW_OPENSHELL_BIN: SIMULATOR_BIN,
    NEMOCLAW_TEST_RUN_ID: RUN_ID,
    OPENSHELL_SIM_RUN_ID: RUN_ID,
    ...(o.docker === false ? { OPENSHELL_SIM_DOCKER: '0' } : {}),
    ...(o.docker === true ? { OPENSHELL_SIM_DOCKER: '1' } : {}),
    ...o.env,
  });
  // The caller's own gateway selection must not leak into the simulator.
  delete env.OPENSHELL_GATEWAY;
  delete env.OPENSHELL_GATEWAY_ENDPOINT;
  delete env.OPENSHELL_WORKSPACE;

  return {
    bin: SIMULATOR_BIN,
    stateDir,
    logFile,
    env,
    run(args, ro = {}) {
      return new Promise((resolvePromise) => {
        const child = execFile(
          SIMULATOR_BIN,
          args,
          { env: { ...env, ...ro.env }, maxBuffer: 64 * 1024 * 1024 },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
            resolvePromise({ code, stdout, stderr });
          },
        );
        child.stdin?.end(ro.input ?? '');
      });
    },
    invocations() {
      if (!existsSync(logFile)) return [];
      return readFileSync(logFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Invocation);
    },
    cleanup() {
      stopRelays(stateDir);
      rmSync(stateDir, { recursive: true, force: true });
      rmSync(secretsDir, { recursive: true, force: true });
    },
  };
}

/** Background forwards outlive the CLI (test/simulator/forward-relay.ts): end this state's relays. */
function stopRelays(stateDir: string): void {
  const file = join(stateDir, 'state.json');
  if (!existsSync(file)) return;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as {
      forwards?: { pid: number; relay?: boolean }[];
    };
    for (const f of state.forwards ?? []) {
      if (!f.relay) continue;
      try {
        process.kill(f.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  } catch {
    // an unreadable state holds no relay we could name
  }
}

/** An HTTP server that answers every request with 200: a stand-in gateway endpoint for `status`. */
export async function startHealthServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
