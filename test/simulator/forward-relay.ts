/**
 * `forward start` moves real bytes. OpenShell v0.0.111 runs `ssh -N -L <bind>:<port>:127.0.0.1:<port>`
 * through the sandbox supervisor (`crates/openshell-cli/src/ssh.rs`, `sandbox_forward`;
 * `crates/openshell-core/src/forward.rs`, `ForwardSpec::ssh_forward_arg`): the host port is
 * relayed to the *same* port on the sandbox's loopback. With `--background` the ssh child is
 * spawned detached, the CLI waits until the local listener answers, records its pid
 * (`write_forward_pid`) and exits, and the forward outlives the CLI; `forward stop` and
 * `sandbox delete` kill that pid.
 *
 * Here the relay is this module run as its own detached Node process: it listens on bind:port and,
 * per connection, opens an Engine exec of `nc 127.0.0.1 <port>` in the sandbox container (the
 * container has no network, as the supervisor's session is the only way in), piping bytes both ways.
 * So a forward to a port nothing listens on inside fails the connection, as the real one does.
 * The sandbox image needs `nc` (busybox has it).
 *
 *   node forward-relay.ts <bind> <port> <container id>
 */
import { spawn } from 'node:child_process';
import { createConnection, createServer, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';

async function relayOne(d: Docker, container: string, port: number, sock: Socket): Promise<void> {
  const exec = await d.getContainer(container).exec({
    Cmd: ['nc', '127.0.0.1', String(port)],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const stream = (await exec.start({
    hijack: true,
    stdin: true,
  })) as unknown as NodeJS.ReadWriteStream & NodeJS.EventEmitter & { destroy(): void };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stderr.resume();
  d.modem.demuxStream(stream, stdout, stderr);
  stdout.pipe(sock);
  sock.on('data', (b) => stream.write(b));
  const close = () => {
    stream.destroy();
    sock.destroy();
  };
  stream.on('end', () => sock.end());
  stream.on('close', () => sock.end());
  stream.on('error', close);
  sock.on('close', close);
  sock.on('error', close);
}

/** Serves until the process ends. Resolves once listening; rejects when the port cannot be bound. */
export async function runRelay(
  bind: string,
  port: number,
  container: string,
): Promise<ReturnType<typeof createServer>> {
  const mod = await import('dockerode');
  const d = new mod.default();
  const server = createServer((sock) => {
    sock.pause();
    relayOne(d, container, port, sock)
      .then(() => sock.resume())
      .catch(() => sock.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bind, () => resolve());
  });
  return server;
}

/** Whether something accepts connections on bind:port (the CLI's readiness probe). */
export function listening(bind: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: bind === '0.0.0.0' ? '127.0.0.1' : bind, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Starts a detached relay process and waits until it listens; returns its pid. */
export async function startBackgroundRelay(
  bind: string,
  port: number,
  container: string,
): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--no-warnings', import.meta.filename, bind, String(port), container],
    {
      detached: true,
      stdio: 'ignore',
      env: process.env,
    },
  );
  child.unref();
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 10_000;
  while (!(await listening(bind, port))) {
    if (exited || Date.now() > deadline) {
      if (!exited) child.kill('SIGTERM');
      throw new Error('ssh process started but local forward listener was not reachable');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return child.pid!;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends a background relay (`forward stop`, `sandbox delete`). */
export function stopRelay(pid: number): void {
  if (pid !== process.pid && pidAlive(pid)) process.kill(pid, 'SIGTERM');
}

if (process.argv[1] === import.meta.filename) {
  const [bind, port, container] = process.argv.slice(2);
  runRelay(bind!, Number(port), container!).then(
    () => {
      process.once('SIGTERM', () => process.exit(0));
      process.once('SIGINT', () => process.exit(0));
    },
    () => process.exit(1),
  );
}
