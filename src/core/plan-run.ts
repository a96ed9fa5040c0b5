/**
 * The one executor of plans (issue 17 item 3): it walks the typed steps in order and hands each to
 * the handler the use case gave for its kind. It decides nothing about the world: the plan says
 * which steps may fail (`bestEffort`), the handlers do the I/O. Pure apart from calling them.
 *
 * - A required step that fails stops the plan: `onFailed` hears which step, and the step's own
 *   error is thrown (its kind, message and hint are the user's answer), unless the plan is run
 *   with `keepGoing`, where every step is attempted and the failures are returned.
 * - A best-effort step that fails becomes a `StepWarning`, passed to `onWarning` and returned;
 *   never swallowed.
 */
import { errorMessage } from './errors.ts';
import type { Plan, PlanStep } from './plan.ts';

/** One handler per step kind of the plan; a missing handler is a type error. */
export type StepHandlers<S extends PlanStep> = {
  [K in S['kind']]: (step: StepOf<S, K>) => Promise<unknown>;
};

/** The step a handler gets: the union member of that kind, or the one step type with that kind. */
type StepOf<S extends PlanStep, K extends string> = [Extract<S, { kind: K }>] extends [never]
  ? S & { kind: K }
  : Extract<S, { kind: K }>;

/** A best-effort step that failed: the plan went on. */
export interface StepWarning<S extends PlanStep = PlanStep> {
  type: 'step-warning';
  step: S;
  /** What failed, as the error said it. */
  message: string;
  /** Why going on is safe (the step's bestEffortReason). */
  reason: string;
}

export interface StepFailure<S extends PlanStep = PlanStep> {
  step: S;
  error: unknown;
}

export interface RunHooks<S extends PlanStep> {
  /** Skip a step (a resumed journal has it done already); nothing else is asked of it. */
  skip?(step: S, index: number): boolean;
  /** Before a step runs (progress lines, the journal's in-progress mark). */
  before?(step: S, index: number): Promise<void> | void;
  /** After a step succeeded, with what its handler returned. */
  after?(step: S, index: number, result: unknown): Promise<void> | void;
  onWarning?(w: StepWarning<S>): void;
  /** A required step failed: the step is named before its error goes up. */
  onFailed?(f: StepFailure<S>, index: number): Promise<void> | void;
  /** Attempt every step even after a required one failed; failures are returned, not thrown. */
  keepGoing?: boolean;
}

export interface RunResult<S extends PlanStep> {
  done: S[];
  warnings: StepWarning<S>[];
  /** Required steps that failed (only with keepGoing; without it the first one is thrown). */
  failed: StepFailure<S>[];
}

export async function runPlan<S extends PlanStep>(
  plan: Plan<S>,
  handlers: StepHandlers<S>,
  hooks: RunHooks<S> = {},
): Promise<RunResult<S>> {
  const result: RunResult<S> = { done: [], warnings: [], failed: [] };
  for (const [i, step] of plan.steps.entries()) {
    if (hooks.skip?.(step, i)) continue;
    const handler = (handlers as unknown as Record<string, (s: S) => Promise<unknown>>)[step.kind];
    if (!handler) throw new Error(`No handler for plan step ${step.kind} (${plan.title}).`);
    await hooks.before?.(step, i);
    let out: unknown;
    try {
      out = await handler(step);
    } catch (error) {
      if (step.bestEffort) {
        const w: StepWarning<S> = {
          type: 'step-warning',
          step,
          message: errorMessage(error),
          reason: step.bestEffortReason ?? 'the step is best effort',
        };
        result.warnings.push(w);
        hooks.onWarning?.(w);
        continue;
      }
      const f = { step, error };
      await hooks.onFailed?.(f, i);
      if (!hooks.keepGoing) throw error;
      result.failed.push(f);
      continue;
    }
    result.done.push(step);
    await hooks.after?.(step, i, out);
  }
  return result;
}

/** The one line a warning is printed as. */
export function formatStepWarning(w: StepWarning): string {
  return `${w.step.kind} ${w.step.target} failed (${w.message}); going on: ${w.reason}.`;
}
