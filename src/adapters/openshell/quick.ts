/**
 * A minimal reader for `list`: `status -o json` and `sandbox list -o json` through node's execFile.
 * `list` is on the startup budget (product.md §13) and execa alone costs more to load than the
 * whole budget; these two read-only calls need none of its features. Same argv shape (`-g` after
 * the verb), same environment rules, same error kinds as run.ts.
 */
import { execFile } from 'node:child_process';
import { NemoclawError } from '../../core/errors.ts';
import { classifyFailure, errorHeadline } from '../../core/openshell/parse.ts';
import { redact } from '../../core/redact.ts';
import type { GatewayStatus, OpenshellClient, SandboxSummary } from './types.ts';
import { INSTALL_HINT } from './run.ts';

export type QuickReader = Pick<OpenshellClient, 'status' | 'sandboxList'>;

export function createQuickReader(o: {
  gateway: string;
  env: Record<string, string | undefined>;
  timeoutMs?: number;
}): QuickReader {
  const bin = o.env.NEMOCLAW_OPENSHELL_BIN ?? 'openshell';
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.env)) if (v !== undefined) env[k] = v;
  env.NO_COLOR = '1';
  delete env.OPENSHELL_WORKSPACE;
  const json = <T>(verb: string[], args: string[]): Promise<T> =>
    new Promise((resolve, reject) => {
      execFile(
        bin,
        [...verb, '-g', o.gateway, ...args],
        { env, timeout: o.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const what = `openshell ${verb.join(' ')}`;
          if (err) {
            const e = err as NodeJS.ErrnoException & { code?: string | number; killed?: boolean };
            if (e.code === 'ENOENT' || e.code === 'EACCES') {
              return reject(
                new NemoclawError('not-found', `the openshell binary was not found: ${bin}`, {
                  hint: INSTALL_HINT,
                }),
              );
            }
            if (e.killed) return reject(new NemoclawError('timeout', `${what} timed out`));
            const text = redact(String(stderr));
            return reject(
              new NemoclawError(
                typeof e.code === 'number' && e.code === 1 ? classifyFailure(text) : 'failed',
                `${what} failed: ${errorHeadline(text) ?? `exit code ${e.code}`}`,
                { detail: { stderr: text } },
              ),
            );
          }
          try {
            resolve(JSON.parse(String(stdout)) as T);
          } catch {
            reject(new NemoclawError('failed', `${what} printed no JSON`));
          }
        },
      );
    });
  return {
    status: () => json<GatewayStatus>(['status'], ['-o', 'json']),
    sandboxList: (l = {}) =>
      json<SandboxSummary[]>(
        ['sandbox', 'list'],
        ['-o', 'json', ...(l.allWorkspaces ? ['--all-workspaces'] : [])],
      ),
  };
}
