/**
 * `sandbox exec|connect|upload|download` and `logs`. Exec exits with the remote code; upload and
 * download follow the CLI's path rules (cli/ssh.rs sandbox_sync_up / sandbox_sync_down).
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import type { Parsed } from '../args.ts';
import { containerLogs, execIn, followLogs } from '../container-io.ts';
import { putTree, getTree } from '../container-io.ts';
import { dockerEnabled } from '../docker.ts';
import { SimError, SimExit, err, out } from '../io.ts';
import type { SandboxRec } from '../state.ts';
import { stateDir } from '../state.ts';
import { findSandbox, phases, sandboxName, serverContext } from './common.ts';

const WORKDIR = '/sandbox';

/** The sandbox must be Ready and backed by a container for bytes to move. */
async function readyContainer(rec: SandboxRec): Promise<string> {
  const phase = (await phases([rec])).get(rec.name)!.phase;
  if (phase !== 'Ready') {
    throw new SimError(
      `sandbox '${rec.name}' is not ready (phase: ${phase}); wait for it to reach Ready state`,
    );
  }
  if (!rec.container_id || !(await dockerEnabled())) {
    throw new SimError(
      'this operation needs a container: the simulator runs without Docker (OPENSHELL_SIM_DOCKER=0 or no engine)',
    );
  }
  return rec.container_id;
}

function readStdin(): Buffer | undefined {
  if (process.stdin.isTTY) return undefined;
  try {
    return readFileSync(0);
  } catch {
    return undefined;
  }
}

export async function exec(p: Parsed): Promise<void> {
  const { ctx, state, srv } = await serverContext(p);
  const rec = findSandbox(srv, sandboxName(p.flags.name as string | undefined, state, ctx));
  const id = await readyContainer(rec);
  const env: Record<string, string> = {};
  for (const item of (p.flags.env as string[] | undefined) ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new SimError(`--env expects KEY=VALUE, got '${item}'`);
    env[item.slice(0, eq)] = item.slice(eq + 1);
  }
  const code = await execIn(id, p.trailing, {
    workdir: (p.flags.workdir as string | undefined) ?? WORKDIR,
    env,
    input: readStdin(),
    timeoutSecs: Number(p.flags.timeout),
  });
  if (code === 124 && Number(p.flags.timeout) > 0) {
    err(`✗ Command timed out after ${String(p.flags.timeout)}s`);
  }
  if (code !== 0) throw new SimExit(code);
}

/** An interactive session: a login shell with the caller's stdin (the main process is not attached). */
export async function connect(p: Parsed): Promise<void> {
  if (p.flags.editor) throw new SimError('--editor is not simulated');
  const { ctx, state, srv } = await serverContext(p);
  const rec = findSandbox(srv, sandboxName(p.positionals.name as string | undefined, state, ctx));
  const id = await readyContainer(rec);
  // v0.0.111 attaches to the main process (../attach.ts), not a new shell.
  const { attachMain } = await import('../attach.ts');
  const code = await attachMain(id, readStdin());
  if (code !== 0) throw new SimExit(code);
}

export async function upload(p: Parsed): Promise<void> {
  const { srv } = await serverContext(p);
  const rec = findSandbox(srv, p.positionals.name as string);
  const local = p.positionals.local_path as string;
  const dest = p.positionals.dest as string | undefined;
  if (!existsSync(local)) throw new SimError(`local path '${local}' does not exist`);
  const id = await readyContainer(rec);
  const isFile = statSync(local).isFile();
  // Where the uploaded entry lands, as an absolute path in the sandbox.
  let target: string;
  if (isFile && dest && !dest.endsWith('/') && posix.dirname(dest) !== '/') {
    target = posix.resolve(WORKDIR, dest);
  } else {
    target = posix.join(posix.resolve(WORKDIR, dest ?? '.'), basename(local));
  }
  err(`Uploading ${local} -> sandbox:${target}`);
  const stage = mkdtempSync(join(tmpdir(), 'openshell-sim-up-'));
  try {
    const rel = target.replace(/^\/+/, '');
    mkdirSync(join(stage, dirname(rel)), { recursive: true });
    cpSync(local, join(stage, rel), { recursive: true, verbatimSymlinks: true });
    await putTree(id, stage, [rel.split('/')[0]!]);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  err('✓ Upload complete');
}

export async function download(p: Parsed): Promise<void> {
  const { srv } = await serverContext(p);
  const rec = findSandbox(srv, p.positionals.name as string);
  const remote = posix.resolve(WORKDIR, p.positionals.sandbox_path as string);
  const dest = (p.positionals.dest as string | undefined) ?? '.';
  const id = await readyContainer(rec);
  err(`Downloading sandbox:${remote} -> ${dest}`);
  const stage = mkdtempSync(join(tmpdir(), 'openshell-sim-down-'));
  try {
    await getTree(id, remote, stage);
    const name = posix.basename(remote) || '.';
    const got = join(stage, name);
    if (statSync(got).isDirectory()) {
      if (existsSync(dest) && !statSync(dest).isDirectory()) {
        throw new SimError(
          `cannot extract directory '${remote}' over non-directory destination '${dest}'`,
        );
      }
      mkdirSync(dest, { recursive: true });
      for (const entry of readdirSync(got)) {
        cpSync(join(got, entry), join(dest, entry), { recursive: true, verbatimSymlinks: true });
      }
    } else {
      const intoDir = dest.endsWith('/') || (existsSync(dest) && statSync(dest).isDirectory());
      const final = intoDir ? join(dest, name) : dest;
      mkdirSync(dirname(final), { recursive: true });
      renameSync(got, final);
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  err('✓ Download complete');
}

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

function sinceMs(since: string | undefined): number {
  if (!since) return 0;
  const m = /^(\d+)(s|m|h|d)$/.exec(since);
  if (!m) throw new SimError(`invalid duration '${since}' (use e.g. 30s, 5m, 1h)`);
  const unit = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Date.now() - Number(m[1]) * unit;
}

/** `[<epoch>.<ms>] [<source>] [<LEVEL>] [<target>] <msg> [k=v…]` (print_log_line). */
function logLine(
  ts: number,
  source: string,
  level: string,
  target: string,
  msg: string,
  fields?: Record<string, string>,
): string {
  const kv = Object.entries(fields ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const secs = Math.floor(ts / 1000);
  const ms = String(ts % 1000).padStart(3, '0');
  const head = `[${secs}.${ms}] [${source.padEnd(7)}] [${level.padEnd(5)}] [${target}] ${msg}`;
  return kv ? `${head} ${kv}` : head;
}

export async function logs(p: Parsed): Promise<void> {
  const { ctx, state, srv } = await serverContext(p);
  const rec = findSandbox(srv, sandboxName(p.positionals.name as string | undefined, state, ctx));
  const sources = ((p.flags.source as string[] | undefined) ?? ['all']).filter((s) => s !== 'all');
  for (const s of sources) {
    if (!['gateway', 'sandbox'].includes(s)) throw new SimError(`unknown log source '${s}'`);
  }
  const want = (s: string) => sources.length === 0 || sources.includes(s);
  const minLevel = String(p.flags.level ?? '').toUpperCase();
  const levelOk = (l: string) => !minLevel || LEVELS.indexOf(l) >= LEVELS.indexOf(minLevel);
  const since = sinceMs(p.flags.since as string | undefined);
  const n = Number(p.flags.n);
  type Entry = { ts: number; line: string };
  const entries: Entry[] = [];
  if (want('gateway')) {
    for (const e of rec.events) {
      if (e.ts >= since && levelOk(e.level)) {
        entries.push({
          ts: e.ts,
          line: logLine(e.ts, 'gateway', e.level, e.target, e.message, e.fields),
        });
      }
    }
  }
  if (want('sandbox') && levelOk('OCSF')) {
    // Data-plane decisions (dataplane/ocsf.ts), level OCSF, target ocsf (docs/observability/logging.mdx).
    const { readOcsf } = await import('../dataplane/ocsf.ts');
    for (const o of readOcsf(stateDir(), rec.id)) {
      if (o.ts >= since)
        entries.push({ ts: o.ts, line: logLine(o.ts, 'sandbox', 'OCSF', 'ocsf', o.message) });
    }
  }
  const useContainer = want('sandbox') && rec.container_id && (await dockerEnabled());
  const fromContainer = (l: { ts: number; stream: string; text: string }) => {
    const level = l.stream === 'stderr' ? 'WARN' : 'INFO';
    return levelOk(level) ? logLine(l.ts, 'sandbox', level, 'process', l.text) : undefined;
  };
  if (useContainer) {
    for (const l of await containerLogs(rec.container_id!, n, since)) {
      const line = fromContainer(l);
      if (line) entries.push({ ts: l.ts, line });
    }
  }
  entries.sort((a, b) => a.ts - b.ts);
  for (const e of entries.slice(-n)) out(e.line);
  if (p.flags.tail && useContainer) {
    await followLogs(rec.container_id!, 0, Date.now(), (l) => {
      const line = fromContainer(l);
      if (line) out(line);
    });
  }
}
