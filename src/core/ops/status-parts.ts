/**
 * Parts of `<name> status` that need no I/O: a sandbox stopped on purpose, and the dashboard's
 * URL with whether its forward runs. Pure.
 */
import type { SandboxEntry } from '../registry/schema.ts';
import { dashboardUrl } from '../ports.ts';
import type { Part } from './status.ts';

/** Stopped is a state the user chose, not a failure (issue 15): neither unhealthy nor recovered. */
export function stoppedPart(entry: SandboxEntry): Part {
  const onPurpose = entry.desiredState === 'stopped';
  return {
    state: 'warn',
    summary: onPurpose
      ? `Stopped (by nemoclaw ${entry.name} stop; its state is kept)`
      : 'Stopped (its state is kept)',
    phase: 'Stopped',
    desiredState: entry.desiredState ?? 'running',
    hint: `Start it with: nemoclaw ${entry.name} start`,
  };
}

/** The dashboard's URL, and whether its forward runs (a forward is this host's, not the gateway's). */
export function dashboardPart(
  name: string,
  port: number,
  bind: string | undefined,
  forwards: { sandbox: string; port: number; status: string }[] | undefined,
): Part {
  const url = dashboardUrl(port, bind);
  const running = forwards?.some(
    (f) => f.sandbox === name && f.port === port && f.status === 'running',
  );
  return running
    ? { state: 'ok', summary: `${url} (forward running)`, url }
    : {
        state: 'warn',
        summary: `${url} (forward not running)`,
        url,
        hint: `Start it with: nemoclaw ${name} connect (or nemoclaw ${name} recover)`,
      };
}
