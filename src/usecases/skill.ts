/**
 * `<name> skill install <dir>`: validate the folder locally (core/ops/skill.ts), stage a copy of
 * exactly what was checked under the skill's name, and upload it into the agent's skills folder
 * (`skills_dir` of the blueprint's agent manifest). An installed skill of the same name is replaced.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Context } from '../context.ts';
import { NemoclawError, UsageError } from '../core/errors.ts';
import { frontMatter, skillName, treeProblems } from '../core/ops/skill.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import type { OpsWorld } from '../world.ts';
import { requireEntry } from './registry-entry.ts';

export async function skillInstall(
  ctx: Context,
  deps: OpsWorld,
  o: { sandbox: string; dir: string },
): Promise<number> {
  const dir = resolve(ctx.cwd, o.dir);
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new UsageError(`${o.dir} is not a folder.`, {
      hint: 'Pass the folder that holds SKILL.md.',
    });
  }
  const { scanTree, copyTree, readBoundedText } = await deps.files();
  const entries = await scanTree(dir);
  const problems = treeProblems(entries);
  const skillMd = entries.find((e) => e.rel === 'SKILL.md');
  if (!skillMd || skillMd.kind !== 'file')
    problems.unshift('SKILL.md: missing (it must be a regular file at the top of the folder)');
  if (problems.length > 0) {
    throw new UsageError(
      `${o.dir} cannot be installed as a skill:\n  - ${problems.join('\n  - ')}`,
    );
  }
  const { INPUT_LIMITS } = await import('../core/limits.ts');
  const fm = frontMatter(
    await readBoundedText(join(dir, 'SKILL.md'), INPUT_LIMITS.skillFileBytes, 'The skill file'),
  );
  if (fm === undefined) {
    throw new UsageError('SKILL.md has no front matter.', {
      hint: 'Start SKILL.md with:\n---\nname: my-skill\ndescription: what it does\n---',
    });
  }
  const { parse } = await import('yaml');
  let meta: unknown;
  try {
    meta = parse(fm);
  } catch (e) {
    throw new UsageError(`SKILL.md front matter is not valid YAML: ${(e as Error).message}`);
  }
  const n = skillName(meta);
  if ('problem' in n) throw new UsageError(`SKILL.md: ${n.problem}.`);

  const entry = await requireEntry(ctx, o.sandbox);
  const skillsDir = await skillsDirOf(ctx, deps, entry);
  const client = await deps.openshell(entry.gatewayName, entry.workspace);
  const stage = await mkdtemp(join(tmpdir(), 'nemoclaw-skill-'));
  try {
    const local = join(stage, n.name);
    await copyTree(dir, entries, local);
    const target = `${skillsDir}/${n.name}`;
    const existed = (await client.sandboxExec(o.sandbox, ['test', '-e', target])).exitCode === 0;
    const prep = await client.sandboxExec(o.sandbox, [
      'sh',
      '-c',
      'rm -rf -- "$1" && mkdir -p -- "$2"',
      'sh',
      target,
      skillsDir,
    ]);
    if (prep.exitCode !== 0) {
      throw new NemoclawError(
        'failed',
        `Could not prepare ${skillsDir} in ${o.sandbox}: ${prep.stderr.trim()}`,
      );
    }
    await client.sandboxUpload(o.sandbox, local, skillsDir);
    const check = await client.sandboxExec(o.sandbox, ['test', '-f', `${target}/SKILL.md`]);
    if (check.exitCode !== 0) {
      throw new NemoclawError('failed', `The upload did not land at ${target}.`, {
        hint: `Check with: nemoclaw ${o.sandbox} exec -- ls -la ${skillsDir}`,
      });
    }
    const files = entries.filter((e) => e.kind === 'file').length;
    ctx.ui.out(
      `${existed ? 'Replaced' : 'Installed'} skill ${n.name} in ${o.sandbox}:${target} (${files} file${files === 1 ? '' : 's'}).`,
    );
    return 0;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

async function skillsDirOf(
  ctx: Context,
  world: Pick<OpsWorld, 'blueprints'>,
  entry: SandboxEntry,
): Promise<string> {
  const { resolveBlueprint, readYamlFile } = await world.blueprints();
  const bp = await resolveBlueprint({
    packageRoot: ctx.packageRoot,
    home: ctx.paths.home,
    spec: entry.blueprintVersion,
  });
  const manifest = (bp.blueprint.agents as Record<string, { manifest?: string }>)[entry.agent]
    ?.manifest;
  const doc = manifest
    ? await readYamlFile(join(bp.dir, manifest), 'the agent manifest')
    : undefined;
  const dir = (doc as { skills_dir?: unknown } | undefined)?.skills_dir;
  if (typeof dir !== 'string' || !dir.startsWith('/sandbox/') || dir.includes('..')) {
    throw new NemoclawError(
      'failed',
      `The ${entry.agent} manifest of blueprint ${entry.blueprintVersion} names no usable skills_dir.`,
    );
  }
  return dir.replace(/\/+$/, '');
}
