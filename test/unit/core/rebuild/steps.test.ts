import { describe, expect, it } from 'vitest';
import { runPlan } from '../../../../src/core/plan-run.ts';
import { REBUILD_STEPS } from '../../../../src/core/rebuild/journal.ts';
import {
  REBUILD_STEP_KINDS,
  rebuildHandlers,
  rebuildSteps,
} from '../../../../src/core/rebuild/steps.ts';

describe('rebuild steps in the one vocabulary', () => {
  it('every journal step has one kind, all distinct, all docker/openshell/registry/file', () => {
    const kinds = REBUILD_STEPS.map((s) => REBUILD_STEP_KINDS[s.id]);
    expect(new Set(kinds).size).toBe(REBUILD_STEPS.length);
    for (const k of kinds)
      expect(k).toMatch(/^(docker|openshell|registry|file)\.[a-z-]+\.[a-z-]+$/);
  });

  it('the executor runs each journal step by its id, in the journal order', async () => {
    const ran: string[] = [];
    const steps = rebuildSteps('alpha');
    await runPlan(
      { title: 'rebuild alpha', steps },
      rebuildHandlers(async (id) => void ran.push(id)),
    );
    expect(ran).toEqual(REBUILD_STEPS.map((s) => s.id));
    expect(steps.every((s) => s.target === 'alpha')).toBe(true);
  });
});
