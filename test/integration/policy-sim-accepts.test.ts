// Every policy nemoclaw can write must be accepted by the simulator's independent, strict
// validation (OpenShell's rules): each baseline with all presets at once, and each preset alone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBaseline, loadPresets } from '../../src/adapters/policy/assets.ts';
import { composePolicy } from '../../src/core/policy/merge.ts';
import { createSimulator, startHealthServer, type Simulator } from '../helpers/simulator.ts';

const ROOT = join(import.meta.dirname, '../..');

describe('the simulator accepts every policy nemoclaw writes', () => {
  let sim: Simulator;
  let gw: Awaited<ReturnType<typeof startHealthServer>>;
  let dir: string;
  beforeAll(async () => {
    sim = createSimulator({ docker: false });
    gw = await startHealthServer();
    dir = mkdtempSync(join(tmpdir(), 'nc-pol-'));
    const add = await sim.run(['gateway', 'add', gw.url, '--local', '--name', 'nemoclaw']);
    expect(add.code, add.stderr).toBe(0);
  });
  afterAll(async () => {
    sim.cleanup();
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['openclaw', 'hermes'] as const)(
    '%s baseline with every preset, created and then updated live',
    async (agent) => {
      const presets = await loadPresets(ROOT);
      const baseline = await loadBaseline(ROOT, agent);
      const base = join(dir, `${agent}-base.yaml`);
      writeFileSync(base, baseline);
      const name = `pol-${agent}`;
      const create = await sim.run([
        'sandbox',
        'create',
        '--name',
        name,
        '--from',
        'img:1',
        '--policy',
        base,
        '--no-auto-providers',
        '-g',
        'nemoclaw',
      ]);
      expect(create.code, create.stderr).toBe(0);
      const all = composePolicy(baseline, presets, `${agent} + all presets`);
      const full = join(dir, `${agent}-all.yaml`);
      writeFileSync(full, all);
      const set = await sim.run([
        'policy',
        'set',
        name,
        '--policy',
        full,
        '--wait',
        '-g',
        'nemoclaw',
      ]);
      expect(set.code, set.stderr).toBe(0);
      for (const [i, p] of presets.entries()) {
        const one = join(dir, `${agent}-${p.name}.yaml`);
        writeFileSync(one, composePolicy(baseline, [p], `${agent} + ${p.name}`));
        const r = await sim.run([
          'sandbox',
          'create',
          '--name',
          // OpenShell caps sandbox names at 19 characters; preset names can be longer, so the
          // name is a short per-agent prefix plus the preset's index (unique, every preset covered).
          `${agent.slice(0, 3)}-p${i}`,
          '--from',
          'img:1',
          '--policy',
          one,
          '--no-auto-providers',
          '-g',
          'nemoclaw',
        ]);
        expect(r.code, `${p.name}: ${r.stderr}`).toBe(0);
      }
    },
    120_000,
  );
});
