/** The registry entry of a sandbox, or the one "not registered" error (core/registry/not-registered). */
import type { Context } from '../context.ts';
import { notRegisteredError } from '../core/registry/not-registered.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';

export async function requireEntry(ctx: Context, name: string): Promise<SandboxEntry> {
  const reg = await ctx.registry().read();
  const entry = reg.sandboxes[name];
  if (!entry) throw notRegisteredError(name, Object.keys(reg.sandboxes));
  return entry;
}
