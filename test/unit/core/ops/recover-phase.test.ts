import { describe, expect, it } from 'vitest';
import { recoverAction, recreateSteps } from '../../../../src/core/ops/recover-phase.ts';

describe('recoverAction (compute/mod.rs start_sandbox at v0.0.111)', () => {
  it('starts only what OpenShell starts: Stopped and Starting', () => {
    expect(recoverAction('Stopped').kind).toBe('start');
    expect(recoverAction('Starting').kind).toBe('start');
  });
  it('leaves Ready alone and waits for Provisioning', () => {
    expect(recoverAction('Ready').kind).toBe('none');
    expect(recoverAction('Provisioning').kind).toBe('wait');
  });
  it('never starts a failed sandbox: Error is terminal', () => {
    expect(recoverAction('Error').kind).toBe('failed');
  });
  it('refuses the phases OpenShell refuses to start from', () => {
    for (const p of ['Stopping', 'Deleting', 'Unknown', 'Unspecified', 'whatever'])
      expect(recoverAction(p).kind, p).toBe('unsettled');
  });
});

describe('recreateSteps', () => {
  it('names the snapshot to restore, or says there is none', () => {
    const with_ = recreateSteps('a1', '20261128T101010Z-abcdef');
    expect(with_[0]).toContain('nemoclaw a1 destroy --yes');
    expect(with_[2]).toBe('nemoclaw a1 snapshot restore 20261128T101010Z-abcdef');
    expect(recreateSteps('a1', undefined)[2]).toContain('no snapshot of a1');
  });
});
