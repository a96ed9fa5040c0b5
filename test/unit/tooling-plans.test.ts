import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stateChecks, type DoctorObservation } from '../../src/core/doctor.ts';
import { buildManifest, safeEntryPath, scrub } from '../../src/core/debug-bundle.ts';
import {
  ownedLabelFilters,
  planGc,
  TEST_SCOPE_LABEL,
  type GcObservation,
} from '../../src/core/gc.ts';
import { parseReceipt } from '../../src/core/install-receipt.ts';
import { clearKnownSecrets, registerSecret } from '../../src/core/redact.ts';
import { planUninstall, type UninstallObservation } from '../../src/core/uninstall-plan.ts';

const M = 'ai.nvidia.nemoclaw.managed-by';
const ROLE = 'ai.nvidia.nemoclaw.role';

describe('gc plan', () => {
  const base: GcObservation = {
    sandboxes: [{ name: 'alpha', image: 'nemoclaw-sandbox-openclaw:0.1.0-aaa', provider: 'build' }],
    images: [
      {
        id: 'sha256:1',
        tags: ['nemoclaw-sandbox-openclaw:0.1.0-aaa'],
        labels: { [M]: 'nemoclaw' },
        sizeBytes: 10,
      },
      {
        id: 'sha256:2',
        tags: ['nemoclaw-sandbox-openclaw:0.1.0-bbb', 'x:1'],
        labels: { [M]: 'nemoclaw' },
        sizeBytes: 2048,
      },
      { id: 'sha256:3', tags: ['nemoclaw-sandbox-hermes:0.1.0-ccc'], labels: {}, sizeBytes: 5 },
      { id: 'sha256:4', tags: ['busybox:latest'], labels: {}, sizeBytes: 5 },
    ],
    containers: [
      {
        id: 'g',
        name: 'nemoclaw-openshell-gateway',
        imageId: 'sha256:g',
        state: 'running',
        labels: { [M]: 'nemoclaw', [ROLE]: 'openshell-gateway' },
      },
      // A sandbox container inherits its image's labels; it is OpenShell's, never gc's.
      {
        id: 's',
        name: 'openshell-alpha',
        imageId: 'sha256:1',
        state: 'running',
        labels: { [M]: 'nemoclaw', [ROLE]: 'sandbox-image', 'openshell.ai/sandbox-name': 'alpha' },
      },
      {
        id: 'o',
        name: 'nemoclaw-ollama',
        imageId: 'sha256:o',
        state: 'exited',
        labels: { [M]: 'nemoclaw', [ROLE]: 'inference-ollama' },
      },
    ],
    allContainers: [{ name: 'someone', imageId: 'sha256:3' }],
    gatewayContainer: 'nemoclaw-openshell-gateway',
  };

  it('removes what no registered sandbox uses and says why it keeps the rest', () => {
    const p = planGc(base);
    expect(p.steps.map((s) => `${s.kind} ${s.target}`)).toEqual([
      'docker.container.remove nemoclaw-ollama',
      'docker.image.remove nemoclaw-sandbox-openclaw:0.1.0-bbb',
    ]);
    const img = p.steps[1]!;
    expect(img.kind === 'docker.image.remove' && img.refs).toEqual([
      'nemoclaw-sandbox-openclaw:0.1.0-bbb',
      'x:1',
    ]);
    expect(p.kept).toEqual([
      { kind: 'container', target: 'nemoclaw-openshell-gateway', reason: 'the OpenShell gateway' },
      {
        kind: 'image',
        target: 'nemoclaw-sandbox-hermes:0.1.0-ccc',
        reason: 'a container uses it (someone)',
      },
      {
        kind: 'image',
        target: 'nemoclaw-sandbox-openclaw:0.1.0-aaa',
        reason: 'used by the sandbox alpha',
      },
    ]);
  });

  it('keeps a local inference container while a registered sandbox uses that provider', () => {
    const p = planGc({
      ...base,
      sandboxes: [...base.sandboxes, { name: 'b', image: 'x', provider: 'ollama' }],
    });
    expect(p.steps.map((s) => s.target)).not.toContain('nemoclaw-ollama');
    expect(p.kept.find((k) => k.target === 'nemoclaw-ollama')?.reason).toMatch(/local inference/);
  });

  it('a test run id narrows what counts as ours', () => {
    expect(ownedLabelFilters({})).toEqual([`${M}=nemoclaw`]);
    expect(ownedLabelFilters({ [TEST_SCOPE_LABEL]: 'r1' })).toEqual([
      `${M}=nemoclaw`,
      'nemoclaw.test=r1',
    ]);
  });
});

describe('uninstall plan', () => {
  const obs: UninstallObservation = {
    home: '/h/.nemoclaw',
    homeEntries: ['logs', 'sandboxes.json', 'snapshots', 'install-receipt'],
    snapshotsDirName: 'snapshots',
    sandboxes: [{ name: 'alpha', dashboardPort: 18789 }],
    openshellSandboxes: ['alpha', 'stray'],
    sandboxContainers: [
      { id: 'c1', name: 'openshell-alpha', sandbox: 'alpha' },
      { id: 'c9', name: 'other', sandbox: 'other-host' },
    ],
    gatewayRegistered: true,
    gatewayName: 'nemoclaw',
    gatewayContainer: { id: 'g', name: 'nemoclaw-openshell-gateway' },
    gatewayVolume: 'nemoclaw-openshell-state',
    containers: [],
    images: [
      {
        id: 'sha256:abcdefabcdef0000',
        tags: ['nemoclaw-sandbox-openclaw:0.1.0-aaa'],
        labels: { [M]: 'nemoclaw' },
        sizeBytes: 1,
      },
    ],
    openshellImages: ['ghcr.io/nvidia/openshell/gateway:0.0.111'],
    modelVolumes: ['nemoclaw-models'],
    openshellBinary: '/h/.local/bin/openshell',
    nemoclawPrefix: '/h/.local',
  };
  const text = (p: ReturnType<typeof planUninstall>) => p.steps.map((s) => `${s.kind} ${s.target}`);

  it('by default removes sandboxes, gateway, its own images, OpenShell and state but keeps snapshots, the volume, models and images it did not make', () => {
    const p = planUninstall(obs, {
      keepOpenshell: false,
      deleteModels: false,
      destroyUserData: false,
    });
    expect(text(p)).toEqual([
      'openshell.forward.stop alpha:18789',
      'openshell.sandbox.delete alpha',
      'openshell.sandbox.delete stray',
      'docker.container.remove openshell-alpha',
      'openshell.gateway.remove nemoclaw',
      'docker.container.remove nemoclaw-openshell-gateway',
      'docker.image.remove nemoclaw-sandbox-openclaw:0.1.0-aaa',
      'file.remove /h/.local/bin/openshell',
      'file.remove /h/.nemoclaw/install-receipt',
      'file.remove /h/.nemoclaw/logs',
      'file.remove /h/.nemoclaw/sandboxes.json',
    ]);
    expect(p.kept.map((k) => k.target)).toEqual([
      'volume nemoclaw-openshell-state',
      'volume nemoclaw-models',
      'image ghcr.io/nvidia/openshell/gateway:0.0.111',
      '/h/.nemoclaw/snapshots',
    ]);
    expect(p.next.at(-1)).toBe(
      'Remove the CLI itself: npm uninstall -g --prefix /h/.local nemoclaw',
    );
  });

  it('--keep-openshell, --delete-models and --destroy-user-data change exactly their parts', () => {
    const p = planUninstall(obs, {
      keepOpenshell: true,
      deleteModels: true,
      destroyUserData: true,
    });
    const t = text(p);
    expect(t).toContain('docker.volume.remove nemoclaw-openshell-state');
    expect(t).toContain('docker.volume.remove nemoclaw-models');
    expect(t).toContain('file.remove /h/.nemoclaw');
    expect(t).not.toContain('file.remove /h/.local/bin/openshell');
    expect(t.filter((x) => x.includes('openshell/gateway'))).toEqual([]);
    expect(p.kept.map((k) => k.target)).toEqual([
      'image ghcr.io/nvidia/openshell/gateway:0.0.111',
      '/h/.local/bin/openshell',
    ]);
  });

  it('an empty host plans nothing', () => {
    const p = planUninstall(
      {
        ...obs,
        homeEntries: [],
        sandboxes: [],
        openshellSandboxes: [],
        sandboxContainers: [],
        gatewayRegistered: false,
        gatewayContainer: undefined,
        gatewayVolume: undefined,
        images: [],
        openshellImages: [],
        modelVolumes: [],
        openshellBinary: undefined,
      },
      { keepOpenshell: false, deleteModels: false, destroyUserData: false },
    );
    expect(p.steps).toEqual([]);
  });

  it('the install receipt only yields absolute paths', () => {
    expect(
      parseReceipt(
        'openshell_path=/a/b/openshell\nnemoclaw_prefix=rel/path\nopenshell_version=0.0.111\njunk\n',
      ),
    ).toEqual({
      openshellPath: '/a/b/openshell',
      openshellVersion: '0.0.111',
    });
  });
});

describe('doctor state checks', () => {
  const good: DoctorObservation = {
    registry: {
      ok: true,
      path: '/h/sandboxes.json',
      sandboxes: [{ name: 'alpha', dashboardPort: 18789, remote: false }],
    },
    openshell: { ok: true, sandboxes: [{ name: 'alpha', phase: 'Ready' }] },
    gateway: {
      mode: 'local',
      containerName: 'gw',
      container: { running: true, status: 'running' },
      engineAnswered: true,
      status: { connected: true, detail: 'connected' },
    },
    sandboxContainers: [{ name: 'c-alpha', sandbox: 'alpha', state: 'running' }],
    forwards: [{ sandbox: 'alpha', port: 18789, status: 'running' }],
    journals: [],
    blueprints: [
      {
        version: '0.1.0',
        ok: true,
        expected: 'sha256:a',
        actual: 'sha256:aaaaaaaaaaaaaaaaaaaaaaaa',
      },
    ],
  };

  it('a consistent host has no warnings', () => {
    expect(stateChecks(good).filter((c) => c.status !== 'ok')).toEqual([]);
  });

  it('every inconsistency comes with the command that fixes it', () => {
    const bad = stateChecks({
      ...good,
      registry: {
        ok: true,
        path: '/h/sandboxes.json',
        sandboxes: [
          ...(good.registry.ok ? good.registry.sandboxes : []),
          { name: 'gone', dashboardPort: 18790, remote: false },
        ],
      },
      openshell: {
        ok: true,
        sandboxes: [
          { name: 'alpha', phase: 'Ready' },
          { name: 'stray', phase: 'Ready' },
        ],
      },
      gateway: { ...good.gateway, container: { running: false, status: 'exited' } },
      sandboxContainers: [
        { name: 'c-alpha', sandbox: 'alpha', state: 'exited' },
        { name: 'c-old', sandbox: 'old', state: 'exited' },
      ],
      forwards: [
        { sandbox: 'alpha', port: 18789, status: 'running' },
        { sandbox: 'old', port: 18800, status: 'dead' },
      ],
      journals: [{ sandbox: 'alpha', step: 'restore' }],
      onboardSession: { sandbox: 'beta', step: 'sandbox' },
      blueprints: [
        {
          version: '0.1.0',
          ok: false,
          expected: 'sha256:a',
          actual: 'sha256:b',
          firstDifference: 'Dockerfile (changed)',
        },
      ],
    });
    const byId = Object.fromEntries(bad.map((c) => [c.id, c]));
    expect(byId['gateway']).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('docker start gw'),
    });
    expect(byId['state.missing.gone']).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('nemoclaw gone recover'),
    });
    expect(byId['state.orphan.stray']).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('openshell sandbox delete -g nemoclaw stray'),
    });
    expect(byId['state.container.c-old']).toMatchObject({
      status: 'warn',
      fix: 'docker rm -f c-old',
    });
    expect(byId['state.container.c-alpha']).toMatchObject({ fix: 'nemoclaw alpha recover' });
    expect(byId['state.forward.18800']).toMatchObject({
      fix: expect.stringContaining('openshell forward stop -g nemoclaw 18800 old'),
    });
    expect(byId['state.forward.gone']).toMatchObject({ status: 'warn' });
    expect(byId['state.rebuild.alpha']).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('restore'),
      fix: 'nemoclaw alpha rebuild --resume',
    });
    expect(byId['state.onboard']).toMatchObject({ fix: expect.stringContaining('--resume') });
    expect(byId['blueprint.0.1.0']).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('Dockerfile (changed)'),
    });
    for (const c of bad.filter((x) => x.status !== 'ok')) expect(c.fix, c.id).toBeTruthy();
  });

  it('a corrupt registry is reported with its path and never reset', () => {
    const r = stateChecks({
      ...good,
      registry: { ok: false, path: '/h/sandboxes.json', error: 'bad json' },
    });
    expect(r[0]).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('/h/sandboxes.json'),
      fix: expect.stringContaining('never resets'),
    });
  });
});

describe('debug bundle core', () => {
  it('scrubs known secrets, token shapes, assignments and URL credentials', () => {
    clearKnownSecrets();
    registerSecret('canary-value-1234567');
    const t = scrub(
      'a canary-value-1234567 b nvapi-abcdefghijklmnop FOO_TOKEN=zzzzzzzz "apiKey": "qqqqqqqqq" https://bob:hunter22@proxy:3128',
    );
    expect(t).not.toMatch(/canary-value|nvapi-abc|zzzzzzzz|qqqqqqqqq|hunter22/);
    expect(t).toContain('https://<REDACTED>@proxy:3128');
    clearKnownSecrets();
  });

  it('the manifest hashes exactly the bytes that ship', () => {
    const m = buildManifest([{ path: 'a.txt', description: 'A', text: 'héllo' }], {
      createdAt: 't',
      nemoclawVersion: '0',
      quick: false,
      skipped: [],
    });
    expect(m.entries).toEqual([
      {
        path: 'a.txt',
        description: 'A',
        bytes: 6,
        sha256: createHash('sha256').update(Buffer.from('héllo', 'utf8')).digest('hex'),
      },
    ]);
  });

  it('entry paths stay inside the bundle', () => {
    expect(safeEntryPath('sandbox/x/get.json')).toBe(true);
    for (const p of ['/etc/passwd', '../x', 'a/../b', 'a//b', ''])
      expect(safeEntryPath(p), p).toBe(false);
  });
});
