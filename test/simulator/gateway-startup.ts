/**
 * What the real gateway does to sandbox containers around its own restart (a host reboot, a
 * dockerd restart), from `crates/openshell-server/src/compute/mod.rs` at v0.0.111:
 * - on a graceful shutdown, `stop_persisted_sandboxes_on_shutdown` stops every sandbox whose
 *   persisted phase should be running, WITHOUT changing that phase (an explicit `sandbox stop`
 *   persists Stopped; a gateway shutdown does not);
 * - at startup, it calls `driver.start_sandbox` for every sandbox whose persisted phase
 *   `sandbox_phase_should_be_running` (Provisioning, Ready, Starting, Unknown: not Error, not
 *   Stopped), so such a sandbox comes back Starting, then Ready.
 * A container whose main process exited while the gateway was running is ContainerExited, a
 * terminal reason (`is_terminal_failure_reason`): Error, never revived.
 *
 * The simulator has no long-running server, so the startup pass runs lazily, on the first call
 * that reaches the gateway: a sandbox container that finished before the gateway container's
 * current start is one the gateway stopped (or lost) while it was down, and is started again.
 */
import type Docker from 'dockerode';
import { containerStates, dockerClient, dockerEnabled, startContainer } from './docker.ts';
import type { ServerState } from './state.ts';
import { server, update } from './state.ts';

/** How long a sandbox restarted by the gateway's startup pass reports Starting. */
const startingMs = () => Number(process.env.OPENSHELL_SIM_READY_DELAY_MS ?? 300);

/** When the gateway container publishing this loopback endpoint last started, if it is one. */
async function gatewayStartedAt(endpoint: string): Promise<number | undefined> {
  let port: string;
  try {
    const u = new URL(endpoint);
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) || !u.port) return undefined;
    port = u.port;
  } catch {
    return undefined;
  }
  const d = await dockerClient();
  const list: Docker.ContainerInfo[] = await d.listContainers({
    filters: { publish: [port] },
  } as Docker.ContainerListOptions);
  for (const c of list) {
    const i = await d.getContainer(c.Id).inspect();
    const argv = [...(i.Config.Entrypoint ?? []), ...(i.Config.Cmd ?? [])].map(String);
    if (argv.some((a) => a.endsWith('openshell-gateway'))) return Date.parse(i.State.StartedAt);
  }
  return undefined;
}

/** The startup pass for one gateway's sandboxes; true when it started any. */
export async function reviveAfterGatewayStart(
  endpoint: string,
  srv: ServerState,
): Promise<boolean> {
  const candidates = Object.values(srv.sandboxes).filter(
    (r) => r.backed && r.container_id && !r.stopped && !r.error,
  );
  if (candidates.length === 0 || !(await dockerEnabled())) return false;
  const states = await containerStates();
  const exited = candidates.filter((r) => states.get(r.container_id!)?.running === false);
  if (exited.length === 0) return false;
  const gatewayStart = await gatewayStartedAt(endpoint);
  if (gatewayStart === undefined) return false;
  const d = await dockerClient();
  const revived: string[] = [];
  for (const r of exited) {
    const finished = Date.parse((await d.getContainer(r.container_id!).inspect()).State.FinishedAt);
    // Finished while the gateway was down (or stopping): the gateway's startup starts it again.
    if (Number.isFinite(finished) && finished <= gatewayStart) {
      await startContainer(r.container_id!);
      revived.push(r.name);
    }
  }
  if (revived.length === 0) return false;
  update((s) => {
    const now = Date.now();
    for (const name of revived) {
      const r = server(s, endpoint).sandboxes[name];
      if (!r) continue;
      r.starting_until_ms = now + startingMs();
      r.ready_at_ms = now + startingMs();
    }
  });
  return true;
}
