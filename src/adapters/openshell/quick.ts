/**
 * A minimal reader for `list`: `status -o json` and `sandbox list -o json` through node's own
 * child_process (spawnSync when one gateway is asked). `list` is on the startup budget (product.md §13) and execa alone costs more to load than the
 * whole budget; these two read-only calls need none of its features. Same argv shape (`-g` after
 * the verb), same environment rules, same error kinds as run.ts.
 */
import { NemoclawError } from '../../core/errors.ts';
import { classifyFailure, errorHeadline } from '../../core/openshell/parse.ts';
import { redact } from '../../core/redact.ts';
import type { GatewayStatus, OpenshellClient, SandboxSummary } from './types.ts';
import { INSTALL_HINT } from './run.ts';

export type QuickReader = Pick<OpenshellClient, 'status' | 'sandboxList'>;

/** How a call ended, whichever way it was run. */
interface Outcome {
  notFound?: boolean;
  timedOut?: boolean;
  /** The exit code (a number), null when a signal ended it, or an error code such as ENOBUFS. */
  failed?: number | string | null;
  stdout: string;
  stderr: string;
}

export function createQuickReader(o: {
  gateway: string;
  env: Record<string, string | undefined>;
  timeoutMs?: number;
  /**
   * Run the call with spawnSync: no pipes as sockets and no event loop turns, the cheapest way
   * to ask one gateway. Two gateways are asked in parallel instead (list passes false).
   */
  blocking?: boolean;
}): QuickReader {
  const bin = o.env.NEMOCLAW_OPENSHELL_BIN ?? 'openshell';
  const env: Record<string, string> = {};
  // Object.keys, not Object.entries: process.env answers each entry through node, at twice the cost.
  for (const k of Object.keys(o.env)) {
    const v = o.env[k];
    if (v !== undefined) env[k] = v;
  }
  env.NO_COLOR = '1';
  delete env.OPENSHELL_WORKSPACE;
  const options = { env, timeout: o.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 };
  const settle = <T>(what: string, r: Outcome): T => {
    if (r.notFound) {
      throw new NemoclawError('not-found', `the openshell binary was not found: ${bin}`, {
        hint: INSTALL_HINT,
      });
    }
    if (r.timedOut) throw new NemoclawError('timeout', `${what} timed out`);
    if (r.failed !== undefined) {
      const text = redact(r.stderr);
      throw new NemoclawError(
        r.failed === 1 ? classifyFailure(text) : 'failed',
        `${what} failed: ${errorHeadline(text) ?? `exit code ${r.failed}`}`,
        { detail: { stderr: text } },
      );
    }
    try {
      return JSON.parse(r.stdout) as T;
    } catch {
      throw new NemoclawError('failed', `${what} printed no JSON`);
    }
  };
  const run = (argv: string[]): Promise<Outcome> => {
    // Loaded only when a call is made, never with the module: `list` with no sandboxes (which
    // bundles this module) does not pay for child_process.
    const { execFile, spawnSync } = process.getBuiltinModule('node:child_process');
    if (o.blocking) {
      const r = spawnSync(bin, argv, { ...options, encoding: 'utf8' });
      const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
      return Promise.resolve({
        notFound: code === 'ENOENT' || code === 'EACCES',
        timedOut: code === 'ETIMEDOUT',
        failed: code ?? (r.status === 0 ? undefined : r.status),
        stdout: r.stdout ?? '',
        stderr: r.stderr ?? '',
      });
    }
    return new Promise((resolve) => {
      execFile(bin, argv, options, (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: string | number | null }) | null;
        resolve({
          notFound: e?.code === 'ENOENT' || e?.code === 'EACCES',
          timedOut: Boolean(e && (e as { killed?: boolean }).killed),
          failed: e ? e.code : undefined,
          stdout: String(stdout),
          stderr: String(stderr),
        });
      });
    });
  };
  const json = async <T>(verb: string[], args: string[]): Promise<T> =>
    settle<T>(`openshell ${verb.join(' ')}`, await run([...verb, '-g', o.gateway, ...args]));
  return {
    status: () => json<GatewayStatus>(['status'], ['-o', 'json']),
    sandboxList: (l = {}) =>
      json<SandboxSummary[]>(
        ['sandbox', 'list'],
        ['-o', 'json', ...(l.allWorkspaces ? ['--all-workspaces'] : [])],
      ),
  };
}
