/** Where nemoclaw keeps its state (product.md §5). */
import { homedir } from 'node:os';
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
  return join(env.HOME || homedir(), '.nemoclaw');
}

export function statePaths(home: string): StatePaths {
  return {
    home,
    registry: join(home, 'sandboxes.json'),
    onboardSession: join(home, 'onboard-session.json'),
    onboardLock: join(home, 'onboard.lock'),
    journalDir: join(home, 'journal'),
    snapshotsDir: join(home, 'snapshots'),
    blueprintsDir: join(home, 'blueprints'),
    supervisorDir: join(home, 'openshell', 'supervisor'),
    logsDir: join(home, 'logs'),
  };
}
