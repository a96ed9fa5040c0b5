import { describe, expect, it } from 'vitest';
import { phasePart } from '../../../../src/core/ops/status.ts';

describe('phasePart', () => {
  it('Error: a failure OpenShell does not restart; the hint leads to logs and the way back', () => {
    const p = phasePart('Error', 'a1');
    expect(p.state).toBe('fail');
    expect(p.summary).toContain('OpenShell does not restart it');
    expect(p.hint).toContain('nemoclaw a1 logs');
    expect(p.hint).toContain('nemoclaw a1 recover');
  });
  it('Stopped is a warning that recover starts; another phase still says try recover', () => {
    expect(phasePart('Stopped', 'a1')).toMatchObject({
      state: 'warn',
      hint: 'Start it with: nemoclaw a1 recover',
    });
    expect(phasePart('Unknown', 'a1').hint).toBe('Try: nemoclaw a1 recover; then nemoclaw a1 logs');
  });
});
