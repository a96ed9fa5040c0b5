/**
 * `<name> logs`, `<name> connect`, `<name> exec`: the sandbox as a user reaches it. Connect waits for
 * Ready within a bound and makes sure the dashboard forward runs first; exec returns the remote
 * exit code unchanged.
 */
import { waitReady as waitUntilReady } from './sandbox-create.ts';
import { dashboardUrl } from '../core/ports.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../core/errors.ts';
import { parseDenialLine } from '../core/openshell/denials.ts';
import { denialExplainer } from './log-denials.ts';
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import type { OpsWorld, World } from '../world.ts';
import { requireEntry } from './registry-entry.ts';

const DURATION_RE = /^\d+[smhd]$/;

export async function sandboxLogs(
  ctx: Context,
  deps: OpsWorld & Pick<World, 'interrupts'>,
  o: { sandbox: string; follow?: boolean; tail?: string; since?: string; denied?: boolean },
): Promise<number> {
  const tail = o.tail === undefined ? undefined : Number(o.tail);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 1)) {
    throw new UsageError(`--tail must be a positive whole number, not "${o.tail}".`);
  }
  if (o.since !== undefined && !DURATION_RE.test(o.since)) {
    throw new UsageError(`--since must be a duration such as 30s, 5m, 2h or 1d, not "${o.since}".`);
  }
  const entry = await requireEntry(ctx, o.sandbox);
  const client = await deps.openshell(entry.gatewayName, entry.workspace);
  const explain = denialExplainer(deps, client, o.sandbox);
  let denied = 0;
  const print = async (line: string) => {
    const d = parseDenialLine(line);
    if (d) denied++;
    if (o.denied && !d) return;
    ctx.ui.out(line);
    if (d) for (const l of await explain(d)) ctx.ui.out(l);
  };
  if (!o.follow) {
    const lines = await client.logs(o.sandbox, { tail, since: o.since, source: 'all' });
    for (const l of lines) await print(l);
  } else {
    const { onInterrupt } = await deps.interrupts();
    const ac = new AbortController();
    // Ctrl-C is how a user ends following: stop the child, print nothing more, exit 0.
    const off = onInterrupt(() => ac.abort());
    // Lines print in order even though explaining one may wait for the presets.
    let queue = Promise.resolve();
    try {
      ctx.ui.info(`Following the logs of ${o.sandbox} (Ctrl-C to stop)…`);
      await client.logs(o.sandbox, {
        tail,
        since: o.since,
        source: 'all',
        follow: true,
        signal: ac.signal,
        onLine: (line) => void (queue = queue.then(() => print(line))),
      });
      await queue;
    } finally {
      off();
    }
  }
  if (denied > 0) {
    ctx.ui.info(
      `${denied} denied request${denied === 1 ? '' : 's'}${o.denied ? '' : ' above'}. Explain one with: nemoclaw ${o.sandbox} policy-check <url>`,
    );
  } else if (o.denied) ctx.ui.info('No denied requests in these logs.');
  return 0;
}

/** The wait of connect and recover: a missing sandbox is re-onboarded, an Error one recovered. */
export function waitReady(
  client: Pick<OpenshellClient, 'sandboxGet'>,
  deps: Pick<OpsWorld, 'sleep'>,
  name: string,
  timeoutMs: number,
  onWaiting?: (phase: string) => void,
): Promise<void> {
  return waitUntilReady(client, name, {
    timeoutMs,
    sleep: (ms) => deps.sleep(ms),
    onWaiting,
    hints: {
      missing: `Recreate it with: nemoclaw onboard --name ${name}`,
      error: `Bring it back with: nemoclaw ${name} recover (details: nemoclaw ${name} logs)`,
      timeout: `Check: nemoclaw ${name} status; raise the wait with NEMOCLAW_CONNECT_TIMEOUT=<seconds>.`,
    },
  });
}

/** Starts the dashboard forward unless it already runs; true when it had to be started. */
export async function ensureForward(
  ctx: Context,
  client: Pick<OpenshellClient, 'forwardList' | 'forwardStart'>,
  entry: SandboxEntry,
): Promise<boolean> {
  const list = await client.forwardList();
  const running = list.some(
    (f) => f.sandbox === entry.name && f.port === entry.dashboardPort && f.status === 'running',
  );
  if (running) return false;
  const bind = ctx.env.NEMOCLAW_DASHBOARD_BIND?.trim() || '127.0.0.1';
  await client.forwardStart(entry.name, entry.dashboardPort, { bind, background: true });
  return true;
}

function connectTimeoutMs(ctx: Context, flag?: string): number {
  const raw = flag ?? ctx.env.NEMOCLAW_CONNECT_TIMEOUT;
  if (raw === undefined || raw === '') return 120_000;
  const s = Number(raw);
  if (!Number.isFinite(s) || s <= 0) {
    throw new UsageError(`The connect timeout must be a positive number of seconds, not "${raw}".`);
  }
  return s * 1000;
}

export async function sandboxConnect(
  ctx: Context,
  deps: OpsWorld,
  o: { sandbox: string; timeout?: string },
): Promise<number> {
  const timeoutMs = connectTimeoutMs(ctx, o.timeout);
  const entry = await requireEntry(ctx, o.sandbox);
  const client = await deps.openshell(entry.gatewayName, entry.workspace);
  await waitReady(client, deps, o.sandbox, timeoutMs, (phase) =>
    ctx.ui.info(`Waiting for ${o.sandbox} to become Ready (now ${phase})…`),
  );
  try {
    const started = await ensureForward(ctx, client, entry);
    const url = dashboardUrl(entry.dashboardPort, ctx.env.NEMOCLAW_DASHBOARD_BIND);
    ctx.ui.info(`Dashboard: ${url}${started ? ' (forward started)' : ''}`);
  } catch (e) {
    // The shell is still useful without the dashboard; say why it is missing.
    ctx.ui.warn(
      `The dashboard forward on port ${entry.dashboardPort} could not be started: ${(e as Error).message}`,
    );
  }
  ctx.ui.info(`Connecting to ${o.sandbox}…`);
  return client.sandboxConnect(o.sandbox);
}

export async function sandboxExec(
  ctx: Context,
  deps: OpsWorld,
  o: { sandbox: string; command: string[]; workdir?: string; timeout?: string },
): Promise<number> {
  if (o.command.length === 0) {
    throw new UsageError('Give the command to run after --.', {
      hint: `For example: nemoclaw ${o.sandbox} exec -- ls -la /sandbox`,
    });
  }
  const timeoutSecs = o.timeout === undefined ? undefined : Number(o.timeout);
  if (timeoutSecs !== undefined && (!Number.isInteger(timeoutSecs) || timeoutSecs < 1)) {
    throw new UsageError(
      `--timeout must be a positive whole number of seconds, not "${o.timeout}".`,
    );
  }
  const entry = await requireEntry(ctx, o.sandbox);
  const client = await deps.openshell(entry.gatewayName, entry.workspace);
  const r = await client.sandboxExec(o.sandbox, o.command, { workdir: o.workdir, timeoutSecs });
  if (r.stdout) ctx.ui.out(r.stdout.replace(/\n$/, ''));
  if (r.stderr) ctx.ui.error(r.stderr.replace(/\n$/, ''));
  return r.exitCode;
}
