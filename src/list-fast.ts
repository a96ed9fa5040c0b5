/**
 * `list [--json]` without the command framework (startup budget, product.md §13): the same use
 * case as `nemoclaw list`, given only what it uses — the registry, the output channels and (its
 * world) the OpenShell reader, which is in this file's bundle. Anything that goes wrong before a line is printed (a registry that cannot be read,
 * say) is handed to the full path, main(), which words and logs it exactly as `nemoclaw list`
 * always has; so this path only ever answers the ordinary case.
 */
import { registryPath, resolveHome } from './adapters/state/paths.ts';
import { registryStore } from './adapters/state/registry-store.ts';
import { createUi, wantColor, type Writable } from './adapters/terminal/ui.ts';
import { registerSecretsFromEnv } from './core/redact.ts';
import type { MainIo } from './main-io.ts';
import { listSandboxes, type ListContext, type ListWorld } from './usecases/list.ts';

export async function listFast(io: MainIo, json: boolean): Promise<number> {
  registerSecretsFromEnv(secretLooking(io.env));
  // stdout lines are gathered and written at once (one write, not one per line); anything on
  // stderr first flushes them, so the two stay in order on a terminal.
  let pending = '';
  let printed = false;
  const flush = () => {
    if (pending) io.stdout.write(pending);
    pending = '';
  };
  const stdout: Writable = {
    write: (s: string) => ((printed = true), (pending += s), true),
    get isTTY() {
      return io.stdout.isTTY;
    },
  };
  const stderr: Writable = {
    write: (s: string) => (flush(), (printed = true), io.stderr.write(s)),
    get isTTY() {
      return io.stderr.isTTY;
    },
  };
  const registry = registryStore(registryPath(resolveHome(io.env)));
  const ctx: ListContext = {
    registry: () => registry,
    ui: createUi({
      stdout,
      stderr,
      get stdinIsTTY() {
        return io.stdinIsTTY;
      },
      color: () => wantColor(io.env, stderr, true),
    }),
  };
  // The OpenShell reader is in this file's bundle (scripts/build.mjs): no module to load.
  const world: ListWorld = {
    quickReader: async (gateway, o) =>
      (await import('./adapters/openshell/quick.ts')).createQuickReader({
        gateway,
        env: io.env,
        ...o,
      }),
  };
  try {
    return await listSandboxes(ctx, world, { json });
  } catch (e) {
    flush();
    if (printed) {
      const { reportError } = await import('./main.ts');
      return reportError(e, io, undefined);
    }
    const { main } = await import('./main.ts');
    return main(io);
  } finally {
    flush();
  }
}

/**
 * The variables whose name could be a secret's: a superset of what isSecretEnvName accepts (every
 * name it matches holds one of these words, in any case), found without a regular expression.
 * Registering the same secrets from fewer names spares compiling that expression to machine code,
 * which costs `list` a tenth of its startup budget; registerSecretsFromEnv still decides.
 */
export function secretLooking(
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const k of Object.keys(env)) {
    const u = k.toUpperCase();
    if (['KEY', 'TOKEN', 'SECRET', 'PASSW', 'CREDENTIAL'].some((w) => u.includes(w)))
      out[k] = env[k];
  }
  return out;
}
