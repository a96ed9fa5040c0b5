/** Reads blueprint folders from disk and hashes what the digest covers. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { NemoclawError } from '../../core/errors.ts';
import { INPUT_LIMITS } from '../../core/limits.ts';
import { readBoundedText } from '../host/bounded-read.ts';
import {
  BlueprintIndexSchema,
  BlueprintSchema,
  referencedFiles,
  type Blueprint,
  type BlueprintIndex,
} from '../../core/blueprint/schema.ts';
import type { FileHashes } from '../../core/blueprint/digest.ts';

export async function readYamlFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readBoundedText(path, INPUT_LIMITS.blueprintFileBytes, what);
  } catch (e) {
    if (e instanceof NemoclawError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NemoclawError('not-found', `${what} not found at ${path}.`, { cause: e });
    }
    throw e;
  }
  try {
    return parseYaml(text, { maxAliasCount: INPUT_LIMITS.yamlAliases });
  } catch (e) {
    throw new NemoclawError(
      'corrupt',
      `${what} at ${path} is not valid YAML: ${(e as Error).message}`,
      { cause: e },
    );
  }
}

export async function loadBlueprintFile(dir: string): Promise<Blueprint> {
  const path = join(dir, 'blueprint.yaml');
  const raw = await readYamlFile(path, 'Blueprint');
  const r = BlueprintSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new NemoclawError(
      'corrupt',
      `Blueprint at ${path} is invalid: ${i.path.join('.')}: ${i.message}`,
      {
        hint: 'Use a released blueprint (nemoclaw blueprint list) or fix the file.',
      },
    );
  }
  return r.data;
}

export async function loadBlueprintIndex(path: string): Promise<BlueprintIndex> {
  const raw = await readYamlFile(path, 'Blueprint index');
  const r = BlueprintIndexSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new NemoclawError(
      'corrupt',
      `Blueprint index at ${path} is invalid: ${i.path.join('.')}: ${i.message}`,
    );
  }
  return r.data;
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function walk(dir: string, root: string, out: string[]): Promise<void> {
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, ent.name);
    if (ent.isDirectory()) await walk(full, root, out);
    else if (ent.isFile()) out.push(full);
    else {
      throw new NemoclawError(
        'integrity',
        `Blueprint contains ${full}, which is not a regular file or folder.`,
        {
          hint: 'Blueprints may hold only regular files; remove links and special files.',
        },
      );
    }
  }
}

/**
 * Hashes of every file the digest covers: the blueprint folder's files (relative to it) and the
 * policy and preset files it references (relative to `assetsRoot`).
 */
export async function hashBlueprintTree(
  dir: string,
  assetsRoot: string,
  bp: Blueprint | undefined,
  expected?: FileHashes,
): Promise<FileHashes> {
  const files: string[] = [];
  await walk(dir, dir, files);
  const out: FileHashes = {};
  for (const f of files) out[relative(dir, f).split(sep).join('/')] = await hashFile(f);
  // References come from the blueprint when it parses, and from what was released otherwise, so
  // that a damaged blueprint.yaml is still reported as a digest mismatch naming the file.
  const refs = new Set(bp ? referencedFiles(bp) : []);
  for (const p of Object.keys(expected ?? {})) if (!(p in out)) refs.add(p);
  for (const ref of [...refs].sort()) {
    const full = join(assetsRoot, ref);
    let st;
    try {
      st = await lstat(full);
    } catch {
      continue; // reported as missing by the comparison
    }
    if (!st.isFile()) {
      throw new NemoclawError(
        'integrity',
        `Blueprint reference ${ref} (${full}) is not a regular file.`,
      );
    }
    out[ref] = await hashFile(full);
  }
  return out;
}

/** The policy files of a blueprint by key (baseline, tiers, preset:<name>), for a plan's diff. */
export async function readPolicyTexts(
  bp: Blueprint,
  assetsRoot: string,
  agent: 'openclaw' | 'hermes',
): Promise<Record<string, string>> {
  const refs: Record<string, string> = {
    baseline: bp.policy.baseline[agent],
    tiers: bp.policy.tiers,
    ...Object.fromEntries(Object.entries(bp.policy.presets).map(([k, v]) => [`preset:${k}`, v])),
  };
  const out: Record<string, string> = {};
  for (const [k, rel] of Object.entries(refs)) {
    out[k] = await readBoundedText(
      join(assetsRoot, rel),
      INPUT_LIMITS.blueprintFileBytes,
      rel,
    ).catch(() => '');
  }
  return out;
}
