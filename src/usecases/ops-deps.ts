/**
 * What the day-two use cases need from the world, created on first use so that a command loads
 * only the adapters it touches (an OpenShell client per gateway, one Engine connection, a prompt).
 */
import type { DockerEngine } from '../adapters/docker/engine.ts';
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Confirm } from '../adapters/terminal/confirm.ts';
import type { Prompter } from '../adapters/terminal/prompt.ts';
import type { Context } from '../context.ts';
import { NemoclawError } from '../core/errors.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';

export interface OpsDeps {
  /** `workspace`: the entry's OpenShell workspace (absent: `default`). */
  openshell(gateway?: string, workspace?: string): Promise<OpenshellClient>;
  engine(): Promise<DockerEngine>;
  confirm(message: string): Promise<boolean>;
  prompter(): Promise<Prompter>;
  sleep(ms: number): Promise<void>;
}

export function defaultOpsDeps(ctx: Context): OpsDeps {
  const clients = new Map<string, Promise<OpenshellClient>>();
  let engine: Promise<DockerEngine> | undefined;
  return {
    openshell(gateway = 'nemoclaw', workspace?: string) {
      const key = `${gateway}\u0000${workspace ?? ''}`;
      let c = clients.get(key);
      if (!c) {
        c = import('../adapters/openshell/factory.ts').then((m) =>
          m.openshellClient(ctx, gateway, workspace),
        );
        clients.set(key, c);
      }
      return c;
    },
    engine: () =>
      (engine ??= import('../adapters/docker/engine.ts').then((m) => m.connectEngine(ctx.env))),
    async confirm(message) {
      const { terminalConfirm }: { terminalConfirm: Confirm } =
        await import('../adapters/terminal/confirm.ts');
      return terminalConfirm(message);
    },
    async prompter() {
      return (await import('../adapters/terminal/prompt.ts')).inquirerPrompter();
    },
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}

/** The registry entry, or the not-found error that names the next command. */
export async function requireEntry(ctx: Context, name: string): Promise<SandboxEntry> {
  const reg = await ctx.registry().read();
  const entry = reg.sandboxes[name];
  if (!entry) {
    throw new NemoclawError('not-found', `Sandbox ${name} is not registered.`, {
      hint: 'See the registered sandboxes with `nemoclaw list`.',
    });
  }
  return entry;
}
