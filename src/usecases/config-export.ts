/**
 * `config export [<name>…] [--out FILE]`: the declarative file for registered sandboxes (all of
 * them when none is named). Secret-free by construction (credential names only), and redacted
 * once more on the way out.
 */
import { resolve } from 'node:path';
import type { Context } from '../context.ts';
import type { World } from '../world.ts';
import { exportSandbox, FLEET_SCHEMA_VERSION, type FleetFile } from '../core/fleet/schema.ts';
import { redact } from '../core/redact.ts';
import { notRegisteredError } from '../core/registry/not-registered.ts';

export async function configExport(
  ctx: Context,
  world: Pick<World, 'files'>,
  o: { names: string[]; out?: string },
): Promise<number> {
  const reg = await ctx.registry().read();
  const all = Object.keys(reg.sandboxes).sort();
  for (const n of o.names) {
    if (!reg.sandboxes[n]) {
      throw notRegisteredError(n, all);
    }
  }
  const names = o.names.length > 0 ? o.names : all;
  const file: FleetFile = {
    schemaVersion: FLEET_SCHEMA_VERSION,
    sandboxes: names.map((n) => exportSandbox(reg.sandboxes[n]!)),
  };
  const { stringify } = await import('yaml');
  const body = stringify(file, { lineWidth: 0 });
  const text = `# nemoclaw configuration (apply with: nemoclaw apply -f FILE). No secrets: credentials\n# are the names of the environment variables apply reads them from.\n${body}`;
  const safe = redact(text);
  if (safe !== text) {
    ctx.ui.warn('Something in the configuration looked like a secret and was redacted.');
  }
  if (o.out) {
    const { writeUserFile } = await world.files();
    const path = resolve(ctx.cwd, o.out);
    await writeUserFile(path, safe);
    ctx.ui.info(`✓ Wrote the configuration of ${names.join(', ') || 'no sandboxes'} to ${path}.`);
  } else {
    ctx.ui.out(safe.replace(/\n$/, ''));
  }
  return 0;
}
