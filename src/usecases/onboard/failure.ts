/**
 * How a failed step is reported (product.md §8): the step, the cause, a fix, and the command that
 * continues. Errors that carry their own hint keep it; the others get the step's generic next look,
 * so that no failure ends with only "resume".
 */
import { NemoclawError } from '../../core/errors.ts';
import type { OnboardIntent } from '../../core/onboard/intent.ts';
import type { StepId } from '../../core/onboard/session.ts';
import { GATEWAY_NAME } from './types.ts';

const RESUME = 'nemoclaw onboard --resume';

/** Where to look when a step failed without saying what to do. */
export function stepFix(step: StepId, i: OnboardIntent): string {
  const g = `-g ${GATEWAY_NAME}`;
  switch (step) {
    case 'preflight':
      return 'See every check with: nemoclaw doctor';
    case 'blueprint':
      return 'Check the OpenShell CLI with: openshell --version (and nemoclaw blueprint verify)';
    case 'gateway':
      return `Check the gateway with: openshell status ${g} (and nemoclaw doctor)`;
    case 'provider':
      return `Check the gateway and its providers with: openshell status ${g}; openshell provider list ${g}`;
    case 'image':
      return 'Check the Docker Engine with: nemoclaw doctor';
    case 'sandbox':
      return `See what OpenShell says with: openshell sandbox get ${i.sandboxName} ${g}; openshell logs ${i.sandboxName} ${g}`;
    case 'policy':
      return `See the live policy with: openshell policy get ${i.sandboxName} ${g} --full`;
    case 'forward':
      return `See the forwards with: openshell forward list ${g} (or pass another --dashboard-port)`;
  }
}

export function stepFailure(
  e: unknown,
  step: { id: StepId; n: number; total: number; title: string },
  intent: OnboardIntent,
): { cause: NemoclawError; error: NemoclawError } {
  const err =
    e instanceof NemoclawError
      ? e
      : new NemoclawError('failed', (e as Error)?.message ?? String(e), { cause: e });
  const fix = err.hint ?? stepFix(step.id, intent);
  const bad = err.kind === 'usage' || err.kind === 'invalid';
  const resume = bad ? `${RESUME} (after fixing the input)` : RESUME;
  // Some hints already say what to run next; do not contradict or repeat them.
  const hint = fix.includes('nemoclaw onboard') ? fix : `${fix}\n  Then continue with: ${resume}`;
  const error = new NemoclawError(
    err.kind,
    `Onboarding failed at step ${step.n}/${step.total} (${step.title}): ${err.message}`,
    {
      hint,
      cause: err,
      detail: err.detail,
      // Bad input discovered mid-run is an operational failure: something already ran.
      exitCode: bad ? 1 : undefined,
    },
  );
  return { cause: err, error };
}
