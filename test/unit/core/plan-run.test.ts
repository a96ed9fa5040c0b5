/**
 * runPlan (src/core/plan-run.ts): one walker for every plan. A best-effort failure is a typed
 * warning that is handed on (never swallowed); a required failure stops the plan and names the
 * step; keepGoing attempts every step; skip leaves resumed steps alone.
 */
import { describe, expect, it } from 'vitest';
import type { Plan, PlanStep } from '../../../src/core/plan.ts';
import { formatStepWarning, runPlan, type StepWarning } from '../../../src/core/plan-run.ts';

type Kind = 'docker.image.remove' | 'openshell.sandbox.delete' | 'registry.entry.remove';
type Step = PlanStep<Kind>;

const plan: Plan<Step> = {
  title: 'test',
  steps: [
    { kind: 'openshell.sandbox.delete', target: 'a', cause: 'c' },
    {
      kind: 'docker.image.remove',
      target: 'img',
      cause: 'c',
      bestEffort: true,
      bestEffortReason: 'only disk space',
    },
    { kind: 'registry.entry.remove', target: 'a', cause: 'c' },
  ],
};

function handlers(fail: Partial<Record<Kind, Error>>, ran: string[]) {
  const h = (k: Kind) => async () => {
    ran.push(k);
    if (fail[k]) throw fail[k];
  };
  return {
    'docker.image.remove': h('docker.image.remove'),
    'openshell.sandbox.delete': h('openshell.sandbox.delete'),
    'registry.entry.remove': h('registry.entry.remove'),
  };
}

describe('runPlan', () => {
  it('runs every step in order', async () => {
    const ran: string[] = [];
    const r = await runPlan(plan, handlers({}, ran));
    expect(ran).toEqual(plan.steps.map((s) => s.kind));
    expect(r.done).toHaveLength(3);
    expect(r.warnings).toEqual([]);
  });

  it('a best-effort failure becomes a typed warning, reported, and the plan goes on', async () => {
    const ran: string[] = [];
    const heard: StepWarning<Step>[] = [];
    const r = await runPlan(
      plan,
      handlers({ 'docker.image.remove': new Error('image is busy') }, ran),
      { onWarning: (w) => heard.push(w) },
    );
    expect(ran).toEqual(plan.steps.map((s) => s.kind));
    expect(r.warnings).toEqual(heard);
    expect(heard).toEqual([
      {
        type: 'step-warning',
        step: plan.steps[1],
        message: 'image is busy',
        reason: 'only disk space',
      },
    ]);
    expect(formatStepWarning(heard[0]!)).toBe(
      'docker.image.remove img failed (image is busy); going on: only disk space.',
    );
    expect(r.done.map((s) => s.kind)).not.toContain('docker.image.remove');
  });

  it('a required failure stops the plan, names the step and throws its own error', async () => {
    const ran: string[] = [];
    const boom = new Error('gateway down');
    const named: string[] = [];
    await expect(
      runPlan(plan, handlers({ 'openshell.sandbox.delete': boom }, ran), {
        onFailed: (f) => void named.push(f.step.kind),
      }),
    ).rejects.toBe(boom);
    expect(ran).toEqual(['openshell.sandbox.delete']);
    expect(named).toEqual(['openshell.sandbox.delete']);
  });

  it('keepGoing attempts every step and returns the failures', async () => {
    const ran: string[] = [];
    const r = await runPlan(plan, handlers({ 'openshell.sandbox.delete': new Error('x') }, ran), {
      keepGoing: true,
    });
    expect(ran).toHaveLength(3);
    expect(r.failed.map((f) => f.step.kind)).toEqual(['openshell.sandbox.delete']);
    expect(r.done.map((s) => s.kind)).toEqual(['docker.image.remove', 'registry.entry.remove']);
  });

  it('skip leaves a step alone; before and after hear the others', async () => {
    const ran: string[] = [];
    const seen: string[] = [];
    await runPlan(plan, handlers({}, ran), {
      skip: (s) => s.kind === 'openshell.sandbox.delete',
      before: (s) => void seen.push(`before ${s.kind}`),
      after: (s) => void seen.push(`after ${s.kind}`),
    });
    expect(ran).toEqual(['docker.image.remove', 'registry.entry.remove']);
    expect(seen).toEqual([
      'before docker.image.remove',
      'after docker.image.remove',
      'before registry.entry.remove',
      'after registry.entry.remove',
    ]);
  });

  it('refuses a step kind it has no handler for', async () => {
    const odd = { title: 't', steps: [{ kind: 'file.remove', target: 'x', cause: 'c' }] };
    await expect(runPlan(odd, {} as never)).rejects.toThrow(
      /No handler for plan step file\.remove/,
    );
  });
});
