/**
 * Entry of the data-plane proxy process: `node main.ts <stateDir> <network> <ip> <port>`,
 * started detached by setup.ts. Writes dataplane/proxy.json once it listens. It exits, removing
 * its network, when the state folder is gone (test cleanup) or when no sandbox has existed in
 * the state for 30 s.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { allScopes, readState } from '../state.ts';
import { Sandboxes } from './context.ts';
import { dataplaneDir } from './ocsf.ts';
import { createProxy } from './proxy.ts';

const [stateDir, network, ip, portText] = process.argv.slice(2) as [string, string, string, string];
const port = Number(portText);
process.env.OPENSHELL_SIM_STATE = stateDir;
const docker = new Docker();
const server = createProxy(stateDir, new Sandboxes(docker, network), port);

server.listen(port, ip, () => {
  const info = join(dataplaneDir(stateDir), 'proxy.json');
  const tmp = `${info}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, ip, port, network }));
  renameSync(tmp, info);
  process.stdout.write(`NET:LISTEN [INFO] ${ip}:${port}\n`);
});
server.on('error', (e) => {
  process.stderr.write(`proxy: ${e.message}\n`);
  process.exit(1);
});

let idleSince = Date.now();
let stopping = false;

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  server.close();
  if (existsSync(stateDir)) rmSync(join(dataplaneDir(stateDir), 'proxy.json'), { force: true });
  // Containers of this network are removed by their owners; wait a little for them to go.
  for (let i = 0; i < 20; i++) {
    // A sandbox created meanwhile keeps the network (its create starts a new proxy).
    if (existsSync(stateDir) && sandboxesExist()) break;
    try {
      await docker.getNetwork(network).remove();
      break;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  process.exit(0);
}

function sandboxesExist(): boolean {
  try {
    return allScopes(readState()).some(([, s]) => Object.keys(s.sandboxes).length > 0);
  } catch {
    return true; // a half-written state is not idleness
  }
}

setInterval(() => {
  if (!existsSync(stateDir)) return void stop();
  if (sandboxesExist()) idleSince = Date.now();
  else if (Date.now() - idleSince > 30_000) void stop();
}, 1000).unref();
process.on('SIGTERM', () => void stop());
