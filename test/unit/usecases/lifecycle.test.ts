import { describe, expect, it } from 'vitest';
import type { SandboxEntry } from '../../../src/core/registry/schema.ts';
import { lifecyclePlan } from '../../../src/usecases/lifecycle.ts';

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
