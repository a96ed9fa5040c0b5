/** Pure parts of issue 15: blueprint diff, migrations, staleness, profiles, privileges, stop/start plans. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBlueprintFile } from '../../../../src/adapters/blueprint/files.ts';
import {
  agentVersion,
  blueprintDiff,
  pendingMigrations,
  stalenessReasons,
} from '../../../../src/core/blueprint/diff.ts';
import { BlueprintSchema } from '../../../../src/core/blueprint/schema.ts';

const ROOT = join(import.meta.dirname, '../../../..');
const v1 = await loadBlueprintFile(join(ROOT, 'blueprints/0.1.0'));
const v2 = await loadBlueprintFile(join(ROOT, 'blueprints/0.2.0'));

describe('blueprint diff and migrations', () => {
  it('0.1.0 → 0.2.0 names the start command, the resources and policy keys that changed', () => {
    const d = blueprintDiff(v1, v2, 'openclaw', {
      from: { baseline: 'a', 'preset:npm': 'x' },
      to: { baseline: 'b', 'preset:pypi': 'y' },
    });
    expect(d).toEqual(
      expect.arrayContaining([
        { area: 'blueprint', what: '0.1.0 → 0.2.0' },
        { area: 'start-command', what: 'nemoclaw-start → nemoclaw-harden nemoclaw-start' },
        { area: 'resources', what: 'memory 4Gi → 6Gi' },
        { area: 'policy', what: '~ baseline' },
        { area: 'policy', what: '- preset:npm' },
        { area: 'policy', what: '+ preset:pypi' },
      ]),
    );
    expect(blueprintDiff(v2, v2, 'hermes')).toEqual([]);
  });

  it('base image and agent version changes, state paths added and removed', () => {
    const next = structuredClone(v2);
    next.agents.openclaw.base_image = 'ghcr.io/x/openclaw:2026.6.1';
    next.agents.openclaw.state_paths = [...v2.agents.openclaw.state_paths.slice(1), '/sandbox/new'];
    const d = blueprintDiff(v2, next, 'openclaw');
    expect(d.map((c) => c.area)).toEqual(
      expect.arrayContaining(['base-image', 'agent-version', 'state-paths']),
    );
    expect(d).toContainEqual({ area: 'agent-version', what: '2026.5.18 → 2026.6.1' });
    expect(d).toContainEqual({ area: 'state-paths', what: '+ /sandbox/new' });
    expect(agentVersion('reg:5000/a/b@sha256:abc')).toBe('latest');
  });

  it('runs a migration only for sandboxes older than its `since`, and only for its agents', () => {
    expect(pendingMigrations(v2, '0.1.0', 'openclaw').map((m) => m.id)).toEqual([
      'state-layout-marker',
    ]);
    expect(pendingMigrations(v2, '0.2.0', 'openclaw')).toEqual([]);
    const only = structuredClone(v2);
    only.migrations![0]!.agents = ['hermes'];
    expect(pendingMigrations(only, '0.1.0', 'openclaw')).toEqual([]);
  });

  it('the schema refuses a migration without an id or with a script outside the folder', () => {
    const bad = (m: unknown) => BlueprintSchema.safeParse({ ...v2, migrations: [m] }).success;
    expect(bad({ id: 'ok', description: 'd', run: ['true'] })).toBe(true);
    expect(bad({ id: 'ok', description: 'd', run: 'migrations/x.sh' })).toBe(true);
    expect(bad({ description: 'd', run: ['true'] })).toBe(false);
    expect(bad({ id: 'ok', description: 'd', run: '../x.sh' })).toBe(false);
    expect(bad({ id: 'Bad Id', description: 'd', run: ['true'] })).toBe(false);
  });

  it('says why a sandbox is behind', () => {
    const e = {
      blueprintVersion: '0.1.0',
      blueprintDigest: 'sha256:x',
      agent: 'openclaw' as const,
    };
    expect(stalenessReasons(e, v1, { blueprint: v2, digest: 'sha256:y' })).toEqual([
      'blueprint 0.1.0 → 0.2.0',
    ]);
    const same = { ...e, blueprintVersion: '0.2.0', blueprintDigest: 'sha256:y' };
    expect(stalenessReasons(same, v2, { blueprint: v2, digest: 'sha256:y' })).toEqual([]);
    expect(stalenessReasons(same, v2, { blueprint: v2, digest: 'sha256:z' })[0]).toContain(
      'content changed',
    );
  });
});
