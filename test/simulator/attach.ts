/**
 * `sandbox connect` attaches to the sandbox's main process, as v0.0.111 does: the CLI opens an ssh
 * session on the `openshell-main` subsystem (`crates/openshell-cli/src/ssh.rs`,
 * `sandbox_connect_with_mode`; served by `crates/openshell-supervisor-process/src/ssh.rs`), so
 * what is typed reaches the main process's stdin and its output comes back; Ctrl-P Ctrl-Q
 * detaches without stopping it (`crates/openshell-cli/src/main.rs`, `Connect`), and the session
 * ends with the main process.
 *
 * Here: an Engine attach to the container's main process (stdin kept open by the simulator), with
 * detach keys ctrl-p,ctrl-q. The input is what the caller piped in; once it is written, the
 * simulator waits for the main process to answer and go quiet (OPENSHELL_SIM_ATTACH_SETTLE_MS,
 * default 300; at most 10 s without any answer), then detaches the way a user would. Exit code: the
 * main process's when it ended, else 0.
 */
import { PassThrough } from 'node:stream';
import { dockerClient } from './docker.ts';

const DETACH = Buffer.from([0x10, 0x11]); // ctrl-p ctrl-q

export async function attachMain(id: string, input: Buffer | undefined): Promise<number> {
  const d = await dockerClient();
  const c = d.getContainer(id);
  const tty = (await c.inspect()).Config.Tty;
  const stream = (await c.attach({
    stream: true,
    stdin: true,
    stdout: true,
    stderr: true,
    hijack: true,
    detachKeys: 'ctrl-p,ctrl-q',
  } as never)) as unknown as NodeJS.ReadWriteStream & { destroy(): void };
  let lastOutput = 0;
  const seen = (target: NodeJS.WritableStream) => {
    const p = new PassThrough();
    p.on('data', (b: Buffer) => {
      lastOutput = Date.now();
      target.write(b);
    });
    return p;
  };
  let ended = false;
  const done = new Promise<void>((resolve) => {
    const fin = () => {
      ended = true;
      resolve();
    };
    stream.on('end', fin);
    stream.on('close', fin);
    stream.on('error', fin);
  });
  if (tty) stream.pipe(seen(process.stdout));
  else d.modem.demuxStream(stream, seen(process.stdout), seen(process.stderr));

  if (input && input.length > 0) stream.write(input);
  const wroteAt = Date.now();
  const settle = Number(process.env.OPENSHELL_SIM_ATTACH_SETTLE_MS ?? 300);
  const deadline = wroteAt + 10_000;
  while (!ended) {
    const answered = lastOutput >= wroteAt;
    if (answered && Date.now() - lastOutput >= settle) break;
    if (!answered && (input?.length ?? 0) === 0 && Date.now() - wroteAt >= settle) break;
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  if (!ended) {
    stream.write(DETACH);
    await Promise.race([done, new Promise((r) => setTimeout(r, 2000))]);
    if (!ended) stream.destroy();
  }
  const state = (await c.inspect()).State;
  return state.Running ? 0 : (state.ExitCode ?? 0);
}
