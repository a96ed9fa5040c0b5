/**
 * The packaged policy files: baselines per agent, presets and tiers (product.md §7). They are
 * covered by the blueprint digest; this only reads and validates them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NemoclawError } from '../../core/errors.ts';
import { parsePolicy, parsePresetFile, parseTiersFile } from '../../core/policy/parse.ts';
import { presetFromFile, type Preset } from '../../core/policy/presets.ts';
import type { TiersFile } from '../../core/policy/schema.ts';
import type { Agent } from '../../core/registry/schema.ts';

async function read(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new NemoclawError('not-found', `${what} not found at ${path}.`, {
      cause: e,
      hint: 'The nemoclaw installation is incomplete; reinstall it.',
    });
  }
}

export async function loadPresets(packageRoot: string): Promise<Preset[]> {
  const dir = join(packageRoot, 'presets');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  const presets: Preset[] = [];
  for (const f of files) {
    const path = join(dir, f);
    const preset = presetFromFile(parsePresetFile(await read(path, 'Preset'), path));
    if (`${preset.name}.yaml` !== f) {
      throw new NemoclawError('corrupt', `Preset file ${path} declares the name ${preset.name}.`);
    }
    presets.push(preset);
  }
  return presets;
}

export async function loadTiers(packageRoot: string): Promise<TiersFile> {
  const path = join(packageRoot, 'policies', 'tiers.yaml');
  return parseTiersFile(await read(path, 'The tiers file'), path);
}

/** The baseline policy text for an agent, validated. */
export async function loadBaseline(packageRoot: string, agent: Agent): Promise<string> {
  const path = join(packageRoot, 'policies', `${agent}-sandbox.yaml`);
  const text = await read(path, `The ${agent} baseline policy`);
  parsePolicy(text, path, `The ${agent} baseline policy`);
  return text;
}
