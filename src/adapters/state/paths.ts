/** Where nemoclaw keeps its state (product.md §5). */
import { join, resolve } from 'node:path';

export interface StatePaths {
  home: string;
  registry: string;
  onboardSession: string;
  onboardLock: string;
  journalDir: string;
  snapshotsDir: string;
  blueprintsDir: string;
  supervisorDir: string;
  logsDir: string;
}

export function resolveHome(env: Record<string, string | undefined>): string {
  const h = env.NEMOCLAW_HOME;
  if (h && h.trim()) return resolve(h);
  // node:os only when HOME is unset: loading it costs `list` a fifth of its startup budget.
  return join(env.HOME || process.getBuiltinModule('node:os').homedir(), '.nemoclaw');
}

/** The registry's path alone (the `list` fast path: each path normalised costs startup time). */
export function registryPath(home: string): string {
  return join(home, 'sandboxes.json');
}

export function statePaths(home: string): StatePaths {
  return {
    home,
    registry: registryPath(home),
    onboardSession: join(home, 'onboard-session.json'),
    onboardLock: join(home, 'onboard.lock'),
    journalDir: join(home, 'journal'),
    snapshotsDir: join(home, 'snapshots'),
    blueprintsDir: join(home, 'blueprints'),
    supervisorDir: join(home, 'openshell', 'supervisor'),
    logsDir: join(home, 'logs'),
  };
}
