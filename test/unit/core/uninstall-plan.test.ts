import { describe, expect, it } from 'vitest';
import { parseReceipt } from '../../../src/core/install-receipt.ts';
import { planUninstall, type UninstallObservation } from '../../../src/core/uninstall-plan.ts';

const M = 'ai.nvidia.nemoclaw.managed-by';

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
