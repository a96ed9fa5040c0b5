/** `nemoclaw blueprint list | verify | show`: the blueprints come from the world. */
import type { Context } from '../context.ts';
import type { World } from '../world.ts';
import { join } from 'node:path';

type BlueprintWorld = Pick<World, 'blueprints'>;

export async function blueprintList(
  ctx: Context,
  world: BlueprintWorld,
  o: { json?: boolean },
): Promise<number> {
  const { listPackagedVersions, loadBlueprintIndex } = await world.blueprints();
  const versions = await listPackagedVersions(ctx.packageRoot);
  const index = await loadBlueprintIndex(join(ctx.packageRoot, 'blueprints', 'index.yaml'));
  const rows = versions.map((v) => ({
    version: v,
    digest: index.versions[v]!.digest,
    released: index.versions[v]!.released,
  }));
  if (o.json) {
    ctx.ui.json({ schemaVersion: 1, blueprints: rows });
    return 0;
  }
  for (const r of rows)
    ctx.ui.out(`${r.version}  ${r.digest}${r.released ? '' : '  (unreleased)'}`);
  return 0;
}

export async function blueprintVerify(
  ctx: Context,
  world: BlueprintWorld,
  o: { spec?: string; json?: boolean; blueprintSha256?: string },
): Promise<number> {
  const { resolveBlueprint, verifyBlueprint, integrityError } = await world.blueprints();
  const r = await resolveBlueprint({
    packageRoot: ctx.packageRoot,
    home: ctx.paths.home,
    spec: o.spec,
    sha256: o.blueprintSha256,
  });
  const v = await verifyBlueprint(r);
  if (o.json) {
    ctx.ui.json({ schemaVersion: 1, ...v, source: r.source });
  } else {
    ctx.ui.out(`Blueprint ${v.version} (${r.source}: ${r.dir})`);
    ctx.ui.out(`  expected: ${v.expected ?? '(not pinned)'}`);
    ctx.ui.out(`  actual:   ${v.actual}`);
    ctx.ui.out(v.ok ? '  verified' : '  MISMATCH');
    for (const d of v.differences) ctx.ui.out(`  ${d.change}: ${d.path}`);
  }
  if (!v.ok) {
    const e = integrityError(v);
    ctx.ui.error(`Error: ${e.message}`);
    if (e.hint) ctx.ui.error(`  ${e.hint}`);
    return 1;
  }
  return 0;
}

export async function blueprintShow(
  ctx: Context,
  world: BlueprintWorld,
  o: { spec?: string; json?: boolean },
): Promise<number> {
  const { resolveBlueprint } = await world.blueprints();
  const r = await resolveBlueprint({
    packageRoot: ctx.packageRoot,
    home: ctx.paths.home,
    spec: o.spec,
  });
  if (o.json) {
    ctx.ui.json({
      schemaVersion: 1,
      version: r.version,
      source: r.source,
      dir: r.dir,
      blueprint: r.blueprint,
    });
    return 0;
  }
  const { stringify } = await import('yaml');
  ctx.ui.out(`# ${r.source}: ${r.dir}`);
  ctx.ui.out(stringify(r.blueprint).trimEnd());
  return 0;
}
