/**
 * `forward start|stop|list`. With Docker behind the sandbox, bytes really move: the host port is
 * relayed to the same port inside the sandbox container by a detached relay process whose pid is
 * the forward's (../forward-relay.ts; the real CLI runs a detached ssh and keeps its pid file).
 * Without Docker a forward is a state entry only. `start` refuses a host port already in use, as
 * the real one does, and a foreground `start` holds its entry until it is signalled.
 */
import { createServer } from 'node:net';
import type { Parsed } from '../args.ts';
import { SimError, err, out, pad } from '../io.ts';
import { update, readState } from '../state.ts';
import { pidAlive, runRelay, startBackgroundRelay, stopRelay } from '../forward-relay.ts';
import { findSandbox, phases, sandboxName, serverContext } from './common.ts';

function parseSpec(spec: string): { bind: string; port: number } {
  const i = spec.lastIndexOf(':');
  const bind = i === -1 ? '127.0.0.1' : spec.slice(0, i);
  const portText = i === -1 ? spec : spec.slice(i + 1);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new SimError(`invalid port '${portText}' in forward spec '${spec}'`);
  }
  return { bind, port };
}

function portFree(bind: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, bind, () => srv.close(() => resolve(true)));
  });
}

export async function start(p: Parsed): Promise<void> {
  const { bind, port } = parseSpec(p.positionals.port as string);
  const { ctx, state, srv } = await serverContext(p);
  const name = sandboxName(p.positionals.name as string | undefined, state, ctx);
  const rec = findSandbox(srv, name);
  const phase = (await phases([rec])).get(name)!.phase;
  if (phase !== 'Ready') {
    throw new SimError(`sandbox '${name}' is not ready (phase: ${phase})`);
  }
  if (state.forwards.some((f) => f.port === port) || !(await portFree(bind, port))) {
    throw new SimError(`Port ${port} is already in use on ${bind}`);
  }
  const container = rec.backed ? rec.container_id : null;
  let pid = process.pid;
  if (container && p.flags.background) {
    pid = await startBackgroundRelay(bind, port, container).catch((e: unknown) => {
      throw new SimError((e as Error).message);
    });
  } else if (container) await runRelay(bind, port, container);
  update((s) => {
    s.forwards.push({ sandbox: name, bind, port, pid, ...(container ? { relay: true } : {}) });
  });
  const accessHost = bind === '0.0.0.0' ? '127.0.0.1' : bind;
  if (p.flags.background) {
    err(`✓ Forwarding port ${port} to sandbox ${name} in the background`);
    err(`  Access at: http://${accessHost}:${port}/`);
    err(`  Stop with: openshell forward stop ${port} ${name}`);
    return;
  }
  err(`Forwarding port ${port} to sandbox ${name} (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  update((s) => {
    s.forwards = s.forwards.filter((f) => !(f.port === port && f.sandbox === name));
  });
}

export function stop(p: Parsed): void {
  const port = Number(p.positionals.port);
  let name = p.positionals.name as string | undefined;
  if (!name) {
    name = readState().forwards.find((f) => f.port === port)?.sandbox;
    if (!name) {
      err(`! No active forward found for port ${port}`);
      return;
    }
    err(`→ Found forward on sandbox '${name}'`);
  }
  const stopped = update((s) => {
    const mine = s.forwards.filter((f) => f.port === port && f.sandbox === name);
    s.forwards = s.forwards.filter((f) => !(f.port === port && f.sandbox === name));
    return mine;
  });
  for (const f of stopped) if (f.relay) stopRelay(f.pid);
  err(
    stopped.length > 0
      ? `✓ Stopped forward of port ${port} for sandbox ${name}`
      : `! No active forward found for port ${port} on sandbox ${name}`,
  );
}

export function list(): void {
  const forwards = readState().forwards;
  if (forwards.length === 0) {
    err('No active forwards.');
    return;
  }
  const nw = Math.max(7, ...forwards.map((f) => f.sandbox.length));
  const bw = Math.max(4, ...forwards.map((f) => f.bind.length));
  out(`${pad('SANDBOX', nw)} ${pad('BIND', bw)} ${pad('PORT', 8)} ${pad('PID', 10)} STATUS`);
  for (const f of forwards) {
    out(
      `${pad(f.sandbox, nw)} ${pad(f.bind, bw)} ${pad(String(f.port), 8)} ${pad(String(f.pid), 10)} ${!f.relay || pidAlive(f.pid) ? 'running' : 'dead'}`,
    );
  }
}
