/**
 * The rebuild as a plan in the one step vocabulary (issue 17 item 3). The journal keeps its step
 * ids (a journal written by an older nemoclaw still resumes); each id has one step kind, which the
 * dry run prints and the executor dispatches on.
 */
import type { PlanStep, StepKind } from '../plan.ts';
import type { StepHandlers } from '../plan-run.ts';
import { REBUILD_STEPS, type RebuildStepId } from './journal.ts';

export const REBUILD_STEP_KINDS = {
  snapshot: 'file.snapshot.create',
  'verify-snapshot': 'file.snapshot.verify',
  delete: 'openshell.sandbox.delete',
  image: 'docker.image.build',
  create: 'openshell.sandbox.create',
  ready: 'openshell.sandbox.wait',
  restore: 'openshell.sandbox.restore',
  policies: 'openshell.policy.set',
  verify: 'openshell.sandbox.verify',
  migrate: 'openshell.sandbox.migrate',
  healthy: 'openshell.sandbox.health',
} as const satisfies Record<RebuildStepId, StepKind>;

export type RebuildStepKind = (typeof REBUILD_STEP_KINDS)[RebuildStepId];

export interface RebuildStep extends PlanStep<RebuildStepKind> {
  /** The journal's id of the step. */
  id: RebuildStepId;
  title: string;
}

/** Every step of a rebuild of `sandbox`, in order; causes and args are for the printed plan. */
export function rebuildSteps(
  sandbox: string,
  detail: (id: RebuildStepId) => { cause?: string; args?: Record<string, unknown> } = () => ({}),
): RebuildStep[] {
  return REBUILD_STEPS.map((s) => {
    const d = detail(s.id);
    return {
      id: s.id,
      title: s.title,
      kind: REBUILD_STEP_KINDS[s.id],
      target: sandbox,
      cause: d.cause ?? s.title,
      ...(d.args ? { args: d.args } : {}),
    };
  });
}

/** The executor's handlers: each kind runs the journal step of its id. */
export function rebuildHandlers(
  run: (id: RebuildStepId) => Promise<unknown>,
): StepHandlers<RebuildStep> {
  const entries = (Object.keys(REBUILD_STEP_KINDS) as RebuildStepId[]).map((id) => [
    REBUILD_STEP_KINDS[id],
    () => run(id),
  ]);
  return Object.fromEntries(entries) as StepHandlers<RebuildStep>;
}
