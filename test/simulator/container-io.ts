/**
 * Bytes in and out of sandbox containers through the Engine API: exec with the remote exit code,
 * the archive API for upload/download (real tar bytes), container logs.
 */
import { PassThrough } from 'node:stream';
import type { Readable, Writable } from 'node:stream';
import { create as tarCreate, extract as tarExtract } from 'tar';
import { dockerClient, statusCode } from './docker.ts';
import { SimError } from './io.ts';

export interface ExecOptions {
  workdir?: string;
  env?: Record<string, string>;
  input?: Buffer;
  timeoutSecs?: number;
  stdout?: Writable;
  stderr?: Writable;
}

/** Runs a command in the container; resolves with its exit code (124 when --timeout expires). */
export async function execIn(id: string, cmd: string[], o: ExecOptions = {}): Promise<number> {
  const d = await dockerClient();
  const withInput = o.input !== undefined && o.input.length > 0;
  const exec = await d.getContainer(id).exec({
    Cmd: cmd,
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: withInput,
    WorkingDir: o.workdir,
    Env: Object.entries(o.env ?? {}).map(([k, v]) => `${k}=${v}`),
    Tty: false,
  });
  const stream = (await exec.start({
    hijack: true,
    stdin: withInput,
  })) as unknown as NodeJS.ReadWriteStream;
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  d.modem.demuxStream(stream, o.stdout ?? process.stdout, o.stderr ?? process.stderr);
  if (withInput) {
    stream.write(o.input!);
    // Half-close so the remote command sees EOF on stdin.
    (stream as unknown as { end(): void }).end();
  }
  const timeoutMs = (o.timeoutSecs ?? 0) * 1000;
  if (timeoutMs > 0) {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      ended.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) return 124;
  } else await ended;
  // The exec record can lag the stream end by a moment.
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 20));
  }
  return (await exec.inspect()).ExitCode ?? 0;
}

/** Extracts a tar of `cwd`/`entries` at `/` in the container (parents are created as needed). */
export async function putTree(id: string, cwd: string, entries: string[]): Promise<void> {
  const d = await dockerClient();
  // Not `portable`: node-tar then forces u+rw on every file, and a 0400 file would land as 0600.
  const tarball = tarCreate({ cwd }, entries) as unknown as Readable;
  await d.getContainer(id).putArchive(tarball as never, { path: '/' });
}

/** Streams `path` out of the container as a tar and extracts it into `into`. */
export async function getTree(id: string, path: string, into: string): Promise<void> {
  const d = await dockerClient();
  let stream: NodeJS.ReadableStream;
  try {
    stream = await d.getContainer(id).getArchive({ path });
  } catch (e) {
    if (statusCode(e) === 404) throw new SimError(`sandbox path '${path}' does not exist`);
    throw e;
  }
  await new Promise<void>((resolve, reject) => {
    const x = tarExtract({ cwd: into });
    x.on('finish', resolve);
    x.on('close', resolve);
    x.on('error', reject);
    stream.on('error', reject);
    stream.pipe(x as unknown as NodeJS.WritableStream);
  });
}

export interface LogLine {
  ts: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Splits Docker's multiplexed log frames; each line starts with an RFC 3339 timestamp. */
function parseFrames(buf: Buffer): LogLine[] {
  const lines: LogLine[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const type = buf[i];
    const size = buf.readUInt32BE(i + 4);
    const chunk = buf.subarray(i + 8, i + 8 + size).toString('utf8');
    i += 8 + size;
    for (const l of chunk.split('\n')) {
      if (!l) continue;
      lines.push(toLine(l, type === 2 ? 'stderr' : 'stdout'));
    }
  }
  return lines;
}

function toLine(l: string, stream: 'stdout' | 'stderr'): LogLine {
  const sp = l.indexOf(' ');
  const ts = Date.parse(l.slice(0, sp));
  return { ts: Number.isNaN(ts) ? Date.now() : ts, stream, text: l.slice(sp + 1) };
}

export async function containerLogs(id: string, tail: number, sinceMs: number): Promise<LogLine[]> {
  const d = await dockerClient();
  const buf = (await d.getContainer(id).logs({
    stdout: true,
    stderr: true,
    timestamps: true,
    tail,
    since: Math.floor(sinceMs / 1000),
    follow: false,
  })) as unknown as Buffer;
  return parseFrames(buf);
}

/** Follows the logs until the container stops or the process is killed. */
export async function followLogs(
  id: string,
  tail: number,
  sinceMs: number,
  onLine: (l: LogLine) => void,
): Promise<void> {
  const d = await dockerClient();
  const stream = (await d.getContainer(id).logs({
    stdout: true,
    stderr: true,
    timestamps: true,
    tail,
    since: Math.floor(sinceMs / 1000),
    follow: true,
  })) as unknown as NodeJS.ReadableStream;
  const split = (kind: 'stdout' | 'stderr') => {
    const pt = new PassThrough();
    let rest = '';
    pt.on('data', (b: Buffer) => {
      const parts = (rest + b.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const l of parts) if (l) onLine(toLine(l, kind));
    });
    return pt;
  };
  d.modem.demuxStream(stream, split('stdout'), split('stderr'));
  await new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
  });
}
