/** Reads and validates an agent's manifest from a blueprint folder. */
import { join } from 'node:path';
import { AgentManifestSchema, type AgentManifest } from '../../core/agent-config/manifest.ts';
import type { Blueprint } from '../../core/blueprint/schema.ts';
import { NemoclawError } from '../../core/errors.ts';
import { readYamlFile } from './files.ts';

export async function loadAgentManifest(
  blueprintDir: string,
  blueprint: Blueprint,
  agent: keyof Blueprint['agents'],
): Promise<AgentManifest> {
  const path = join(blueprintDir, blueprint.agents[agent].manifest);
  const raw = await readYamlFile(path, `The ${agent} manifest`);
  const r = AgentManifestSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new NemoclawError(
      'corrupt',
      `The ${agent} manifest at ${path} is invalid: ${i.path.join('.')}: ${i.message}`,
      { hint: 'Use a released blueprint (nemoclaw blueprint list) or fix the file.' },
    );
  }
  return r.data;
}
