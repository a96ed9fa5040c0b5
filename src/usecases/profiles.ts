/**
 * `profiles list [--json] [--blueprint REF]` (issue 15): the profiles of a blueprint (default: the
 * newest packaged one) — each picks an inference profile and the sandbox's CPU and memory.
 */
import type { Context } from '../context.ts';
import type { World } from '../world.ts';
import { listProfiles, profileProblems } from '../core/blueprint/profiles.ts';
import { NemoclawError } from '../core/errors.ts';

export async function profilesList(
  ctx: Context,
  world: Pick<World, 'blueprints'>,
  o: { json?: boolean; blueprint?: string; blueprintSha256?: string },
): Promise<number> {
  const { listPackagedVersions } = await world.blueprints();
  const { verifiedBlueprintOf } = await import('./rebuild-steps.ts');
  const spec = o.blueprint ?? (await listPackagedVersions(ctx.packageRoot)).at(-1)!;
  const bp = await verifiedBlueprintOf(ctx, world, { spec, sha256: o.blueprintSha256 });
  const problems = profileProblems(bp.blueprint);
  if (problems.length > 0)
    throw new NemoclawError('corrupt', `Blueprint ${bp.version}: ${problems.join('; ')}.`);
  const profiles = listProfiles(bp.blueprint);
  if (o.json) {
    ctx.ui.json({ schemaVersion: 1, blueprint: bp.version, profiles });
    return 0;
  }
  ctx.ui.out(`Profiles of blueprint ${bp.version} (nemoclaw onboard --profile NAME):`);
  const w = Math.max(7, ...profiles.map((p) => p.name.length));
  ctx.ui.out(`  ${'PROFILE'.padEnd(w)}  ${'CPU'.padEnd(4)} ${'MEMORY'.padEnd(7)} INFERENCE`);
  for (const p of profiles) {
    const model = p.model ? ` ${p.model}` : '';
    ctx.ui.out(
      `  ${p.name.padEnd(w)}  ${p.cpu.padEnd(4)} ${p.memory.padEnd(7)} ${p.provider}${model}${p.description ? `  — ${p.description}` : ''}`,
    );
  }
  return 0;
}
