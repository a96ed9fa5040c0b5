/**
 * Tests that talk to the simulator directly about an onboarded sandbox must ask in that sandbox's
 * OpenShell workspace, as nemoclaw does. This wraps a world's simulator: a call without
 * `--workspace` that names a registered sandbox gets that sandbox's workspace (from the registry),
 * and `sandbox list` without one lists every workspace (`--all-workspaces`). Pass `--workspace`
 * explicitly to ask one workspace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from './simulator.ts';

function workspaces(nemoclawHome: string): Map<string, string> {
  try {
    const reg = JSON.parse(readFileSync(join(nemoclawHome, 'sandboxes.json'), 'utf8')) as {
      sandboxes: Record<string, { workspace?: string }>;
    };
    return new Map(
      Object.entries(reg.sandboxes).flatMap(([n, e]) => (e.workspace ? [[n, e.workspace]] : [])),
    );
  } catch {
    return new Map();
  }
}

export function scopedArgs(args: string[], nemoclawHome: string): string[] {
  const dash = args.indexOf('--');
  const head = dash < 0 ? args : args.slice(0, dash);
  const tail = dash < 0 ? [] : args.slice(dash);
  if (
    head.some(
      (a) => a === '--workspace' || a.startsWith('--workspace=') || a === '--all-workspaces',
    )
  )
    return args;
  if (head[0] === 'sandbox' && head[1] === 'list') return [...head, '--all-workspaces', ...tail];
  const ws = workspaces(nemoclawHome);
  const hit = head.find((a) => ws.has(a));
  return hit ? [...head, '--workspace', ws.get(hit)!, ...tail] : args;
}

export function withSandboxWorkspaces(sim: Simulator, nemoclawHome: string): Simulator {
  return { ...sim, run: (args, o) => sim.run(scopedArgs(args, nemoclawHome), o) };
}
