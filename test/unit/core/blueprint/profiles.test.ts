/** Pure parts of issue 15: blueprint diff, migrations, staleness, profiles, privileges, stop/start plans. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBlueprintFile } from '../../../../src/adapters/blueprint/files.ts';
import {
  listProfiles,
  profileProblems,
  profileResources,
} from '../../../../src/core/blueprint/profiles.ts';

const ROOT = join(import.meta.dirname, '../../../..');
const v2 = await loadBlueprintFile(join(ROOT, 'blueprints/0.2.0'));

describe('profiles', () => {
  it('every inference profile is a profile; named ones override resources', () => {
    const names = listProfiles(v2).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'vllm', 'small', 'local-gpu']));
    expect(profileResources(v2, 'small')).toEqual({ cpu: '1', memory: '2Gi' });
    expect(profileResources(v2, 'default')).toEqual({ cpu: '2', memory: '6Gi' });
    expect(profileResources(v2, undefined)).toBeUndefined();
    const broken = structuredClone(v2);
    broken.profiles!.small!.inference = 'nope';
    expect(profileProblems(broken)[0]).toContain('nope');
  });
});
