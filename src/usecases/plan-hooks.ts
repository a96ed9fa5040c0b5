/**
 * How a use case hears the executor (core/plan-run.ts): a best-effort step that failed is printed
 * as a warning and logged; a required step that failed is named (on stderr and in the log)
 * before its own error goes up to the user.
 */
import type { Context } from '../context.ts';
import { errorMessage } from '../core/errors.ts';
import type { PlanStep } from '../core/plan.ts';
import { formatStepWarning, type RunHooks } from '../core/plan-run.ts';

export function reportingHooks<S extends PlanStep>(
  ctx: Pick<Context, 'ui' | 'log'>,
  o: { nameFailedStep?: boolean } = { nameFailedStep: true },
): Pick<RunHooks<S>, 'onWarning' | 'onFailed'> {
  return {
    onWarning(w) {
      ctx.ui.warn(formatStepWarning(w));
      ctx.log.warn(
        { step: w.step.kind, target: w.step.target, err: w.message, reason: w.reason },
        'plan step failed (best effort)',
      );
    },
    onFailed(f) {
      // The step's own error follows (its message and hint are the answer); this says where.
      if (o.nameFailedStep) ctx.ui.error(`✗ ${f.step.kind} ${f.step.target} failed.`);
      ctx.log.error(
        { step: f.step.kind, target: f.step.target, err: errorMessage(f.error) },
        'plan step failed',
      );
    },
  };
}
