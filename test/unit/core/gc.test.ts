import { describe, expect, it } from 'vitest';
import {
  ownedLabelFilters,
  planGc,
  TEST_SCOPE_LABEL,
  type GcObservation,
} from '../../../src/core/gc.ts';

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
