/**
 * Plans: a use-case observes, then builds a list of typed steps; an executor applies them without
 * making decisions. `--dry-run` prints `formatPlan`; the journal records the steps.
 */

export interface PlanStep<K extends string = string> {
  /** What kind of operation (e.g. `openshell.sandbox.create`, `docker.image.build`). */
  kind: K;
  /** What it acts on (a sandbox, an image, a file). */
  target: string;
  /** Why this step is in the plan. */
  cause: string;
  /** Secret-free arguments, for display and the journal. */
  args?: Record<string, unknown>;
}

export interface Plan<S extends PlanStep = PlanStep> {
  title: string;
  steps: S[];
}

/** Stable text form, so planner tests compare printed plans. */
export function formatPlan(plan: Plan): string {
  const lines = [`Plan: ${plan.title}`];
  if (plan.steps.length === 0) lines.push('  (nothing to do)');
  plan.steps.forEach((s, i) => {
    lines.push(`  ${i + 1}. ${s.kind} ${s.target}`);
    lines.push(`     why: ${s.cause}`);
    if (s.args && Object.keys(s.args).length > 0) {
      for (const [k, v] of Object.entries(s.args)) lines.push(`     ${k}: ${formatArg(v)}`);
    }
  });
  return lines.join('\n');
}

function formatArg(v: unknown): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
