import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBlueprintFile } from '../../../../src/adapters/blueprint/files.ts';
import { loadAgentManifest } from '../../../../src/adapters/blueprint/manifest.ts';
import { BUILT_SUFFIX, generateAgentConfig } from '../../../../src/core/agent-config/generate.ts';
import { configDriftPart, configDriftProbeArgv } from '../../../../src/core/ops/drift.ts';
import { manifestUnder } from '../../../helpers/agent-manifest.ts';

const BP_DIR = join(import.meta.dirname, '../../../../blueprints/0.1.0');
const bp = await loadBlueprintFile(BP_DIR);
const openclaw = await loadAgentManifest(BP_DIR, bp, 'openclaw');
const run = (argv: string[]) => execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });

describe("drift: the agent's config against the copy its image was built with", () => {
  it('the install script keeps the built copy, as protected as the config; the probe tells an edit', () => {
    const root = mkdtempSync(join(tmpdir(), 'nc-drift-'));
    try {
      const m = manifestUnder(openclaw, root);
      const b = generateAgentConfig(m, {
        sandbox: 'box',
        model: 'm',
        api: 'openai',
        dashboardPort: 18789,
        hostPort: 18789,
        channels: [],
        instance: 'i-1',
      });
      mkdirSync(join(root, 'ctx'));
      for (const f of b.files)
        writeFileSync(join(root, f.path.replace('agent/', 'ctx/')), f.content);
      execFileSync('sh', [join(root, 'ctx/install.sh')]);
      const built = `${m.config_file}${BUILT_SUFFIX}`;
      expect(statSync(built).mode & 0o777).toBe(statSync(m.config_file).mode & 0o777);

      const probe = () =>
        configDriftPart(run(configDriftProbeArgv(m.config_file)), 'box', m.config_file);
      expect(probe()).toMatchObject({ state: 'ok', drift: false });
      appendFileSync(m.config_file, ' ');
      const edited = probe();
      expect(edited).toMatchObject({ state: 'warn', drift: true });
      expect(edited.summary).toMatch(/edited inside the sandbox: the next rebuild undoes that/);
      expect(edited.hint).toMatch(/nemoclaw box rebuild/);
      rmSync(m.config_file);
      expect(probe()).toMatchObject({ state: 'warn', drift: true });
      rmSync(built);
      // An image from before drift tracking: said, not guessed.
      expect(probe()).toMatchObject({ state: 'ok', drift: null });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
