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
import {
  listProfiles,
  profileProblems,
  profileResources,
} from '../../../../src/core/blueprint/profiles.ts';
import { BlueprintSchema } from '../../../../src/core/blueprint/schema.ts';
import {
  decodeCaps,
  hardeningPart,
  parsePrivilegeProbe,
} from '../../../../src/core/ops/hardening.ts';
import type { SandboxEntry } from '../../../../src/core/registry/schema.ts';
import { lifecyclePlan } from '../../../../src/usecases/lifecycle.ts';

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

describe('agent privileges', () => {
  const probe = (uid: number, eff: string, bnd: string) =>
    `PID 7\nName:\tsh\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\nCapEff:\t${eff}\nCapBnd:\t${bnd}\n---LIMITS\nLimit                     Soft Limit           Hard Limit           Units\nMax processes             512                  512                  processes\nMax open files            65536                65536                files\n`;
  it('decodes capability masks', () => {
    expect(decodeCaps('0000000000280000')).toEqual(['sys_ptrace', 'sys_admin']);
    expect(decodeCaps('0')).toEqual([]);
  });
  it('a dropped, unprivileged agent is ok; root with sys_admin is a warning that says so', () => {
    const ok = hardeningPart(
      parsePrivilegeProbe(probe(1000, '0000000000000000', '00000000000004c1')),
    );
    expect(ok).toMatchObject({
      state: 'ok',
      uid: 1000,
      maxProcesses: '512/512',
      maxOpenFiles: '65536/65536',
    });
    const bad = hardeningPart(
      parsePrivilegeProbe(probe(0, '0000000000201000', '0000000000201000')),
    );
    expect(bad).toMatchObject({ state: 'warn', dangerousEffective: ['net_admin', 'sys_admin'] });
    expect(hardeningPart(parsePrivilegeProbe('nothing'), 'no agent').state).toBe('warn');
  });
});

describe('stop and start plans', () => {
  const entry = { name: 'a', dashboardPort: 18789 } as SandboxEntry;
  it('stop: record the intent, then stop unless already Stopped', () => {
    expect(lifecyclePlan('stop', entry, 'Ready').steps.map((s) => s.kind)).toEqual([
      'registry.desired-state',
      'openshell.sandbox.stop',
    ]);
    expect(lifecyclePlan('stop', { ...entry, desiredState: 'stopped' }, 'Stopped').steps).toEqual(
      [],
    );
  });
  it('start: start unless Ready, and always make sure of the forward', () => {
    expect(
      lifecyclePlan('start', { ...entry, desiredState: 'stopped' }, 'Stopped').steps.map(
        (s) => s.kind,
      ),
    ).toEqual(['registry.desired-state', 'openshell.sandbox.start', 'openshell.forward.start']);
    expect(
      lifecyclePlan('start', { ...entry, desiredState: 'running' }, 'Ready').steps.map(
        (s) => s.kind,
      ),
    ).toEqual(['openshell.forward.start']);
  });
});
