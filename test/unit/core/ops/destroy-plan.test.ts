import { describe, expect, it } from 'vitest';
import { planDestroy } from '../../../../src/core/ops/destroy-plan.ts';
import { formatPlan } from '../../../../src/core/plan.ts';
import type { SandboxEntry } from '../../../../src/core/registry/schema.ts';
import { sandboxEntry } from '../../../helpers/context.ts';

const entry = (o: Partial<SandboxEntry> = {}): SandboxEntry =>
  sandboxEntry({
    name: 'a',
    blueprintDigest: `sha256:${'0'.repeat(64)}`,
    image: 'nemoclaw-sandbox:abc',
    createdAt: '',
    updatedAt: '',
    ...o,
  });

const hintOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as { hint?: string }).hint ?? '';
  }
  return 'did not throw';
};

describe('destroy plan', () => {
  const base = {
    entry: entry(),
    gatewayUp: true,
    sandboxExists: true,
    imageSharedWith: [],
    force: false,
  };

  it('normal: forward, sandbox, image, registry; never the gateway', () => {
    expect(formatPlan(planDestroy(base))).toMatchInlineSnapshot(`
      "Plan: destroy a
        1. openshell.forward.stop a:18789
           why: the dashboard forward points at this sandbox
           best effort: a forward is a local process; the sandbox goes either way
        2. openshell.sandbox.delete a
           why: the sandbox itself
        3. docker.image.remove nemoclaw-sandbox:abc
           why: no other registered sandbox uses this image (kept if a container still does)
           best effort: the image is only disk space; \`nemoclaw gc\` can remove it later
        4. registry.entry.remove a
           why: forget the sandbox; snapshots are kept"
    `);
  });

  it('keeps an image another sandbox uses', () => {
    const p = planDestroy({ ...base, imageSharedWith: ['b'] });
    expect(p.steps.map((s) => s.kind)).not.toContain('docker.image.remove');
  });

  it('refuses with the gateway down unless forced; forced removes the container by label', () => {
    expect(
      hintOf(() => planDestroy({ ...base, gatewayUp: false, sandboxExists: undefined })),
    ).toContain('--force');
    const p = planDestroy({ ...base, gatewayUp: false, sandboxExists: undefined, force: true });
    expect(p.steps.map((s) => s.kind)).toEqual([
      'openshell.forward.stop',
      'docker.container.remove',
      'docker.image.remove',
      'registry.entry.remove',
    ]);
  });

  it('a sandbox OpenShell lost needs --force to drop the entry', () => {
    expect(hintOf(() => planDestroy({ ...base, sandboxExists: false }))).toContain(
      'destroy --force',
    );
    const kinds = planDestroy({ ...base, sandboxExists: false, force: true }).steps.map(
      (s) => s.kind,
    );
    expect(kinds).not.toContain('openshell.sandbox.delete');
    expect(kinds).toContain('registry.entry.remove');
  });
});
