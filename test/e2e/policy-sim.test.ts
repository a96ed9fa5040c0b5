import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutDocker } from '../helpers/docker.ts';
import type { World } from '../helpers/e2e.ts';
import { onboardedWorld, registered, tearDownWorld } from '../helpers/sandbox-flow.ts';

const skip = await skipWithoutDocker('policy commands against the simulator');
const NAME = 'pol-one';

describe.skipIf(skip)('policy commands on a real sandbox', () => {
  let w: World;
  const registry = () => registered(w)[NAME];
  const policySets = () => w.sim.invocations().filter((c) => c.command === 'policy set').length;

  beforeAll(async () => {
    ({ w } = await onboardedWorld(NAME, {
      world: { env: { NEMOCLAW_POLICY_TIER: 'restricted' } },
    }));
  }, 240_000);
  afterAll(() => tearDownWorld(w));

  it('adds a preset to the live policy and records it; re-adding is a no-op', async () => {
    expect(registry().presets).toEqual([]);
    const sets = policySets();
    const add = await w.cli([NAME, 'policy-add', 'github', '--yes']);
    expect(add.code, add.stderr).toBe(0);
    expect(policySets()).toBe(sets + 1);
    expect(registry().presets).toEqual(['github']);
    const live = await w.cli([NAME, 'policy-get', '--raw']);
    expect(live.stdout).toContain('api.github.com');
    const again = await w.cli([NAME, 'policy-add', 'github', '--yes']);
    expect(again.code).toBe(0);
    expect(policySets()).toBe(sets + 1);
  });

  it('lists applied and available presets, in text and JSON', async () => {
    const t = await w.cli([NAME, 'policy-list']);
    expect(t.stdout).toMatch(/● github/);
    expect(t.stdout).toMatch(/○ npm/);
    const j = JSON.parse((await w.cli([NAME, 'policy-list', '--json'])).stdout);
    expect(j.schemaVersion).toBe(1);
  });

  it('policy-check explains allow and deny against the effective policy', async () => {
    const ok = await w.cli([
      NAME,
      'policy-check',
      'https://api.github.com/repos/x/y',
      '--binary',
      '/usr/bin/curl',
    ]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const no = await w.cli([
      NAME,
      'policy-check',
      'https://registry.npmjs.org/left-pad',
      '--binary',
      '/usr/bin/node',
    ]);
    expect(no.code).toBe(1);
    expect(no.stdout + no.stderr).toContain('npm');
  });

  it('--dry-run prints a diff and changes nothing; a custom policy from a file is applied and kept', async () => {
    const sets = policySets();
    const dry = await w.cli([NAME, 'policy-add', 'npm', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('registry.npmjs.org');
    expect(policySets()).toBe(sets);
    const file = join(w.home, 'custom.yaml');
    writeFileSync(
      file,
      'network_policies:\n  internal_wiki:\n    endpoints:\n      - {host: wiki.example.com, port: 443, protocol: rest, enforcement: enforce, access: read-only}\n    binaries: [{path: /usr/bin/curl}]\n',
    );
    const custom = await w.cli([NAME, 'policy-add', '--from-file', file, '--yes']);
    expect(custom.code, custom.stderr).toBe(0);
    expect(JSON.stringify(registry().customPolicies)).toContain('wiki.example.com');
  });

  it('removes exactly a preset; a mutating command without a TTY and without --yes exits 2', async () => {
    const refused = await w.cli([NAME, 'policy-remove', 'github'], {
      env: { NEMOCLAW_NON_INTERACTIVE: '' },
    });
    expect(refused.code).toBe(2);
    const rm = await w.cli([NAME, 'policy-remove', 'github', '--yes']);
    expect(rm.code, rm.stderr).toBe(0);
    expect(registry().presets).toEqual([]);
    const live = await w.cli([NAME, 'policy-get', '--raw']);
    expect(live.stdout).not.toContain('api.github.com');
    expect(live.stdout).toContain('wiki.example.com');
  });

  it('a --wait timeout is a clear timeout error', async () => {
    const r = await w.cli([NAME, 'policy-add', 'pypi', '--yes'], {
      env: { OPENSHELL_SIM_FAIL: 'policy set:1:124' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/did not report|timed out|in time/i);
    expect(registry().presets).not.toContain('pypi');
  });
});
