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
  /**
   * A step whose failure does not stop the plan: the failure becomes a typed warning (printed and
   * logged by the use case), and the plan goes on. The reason says why that is safe.
   */
  bestEffort?: true;
  /** Why a failure of this step is only a warning; required with `bestEffort`. */
  bestEffortReason?: string;
}

export interface Plan<S extends PlanStep = PlanStep> {
  title: string;
  steps: S[];
}

/**
 * The one step vocabulary: what a step acts on (`docker.*` the Engine, `openshell.*` the CLI,
 * `registry.*` nemoclaw's registry, `file.*` host files), then the object and the verb.
 */
export type StepKind = `${'docker' | 'openshell' | 'registry' | 'file'}.${string}`;

/** Stable text form, so planner tests compare printed plans. */
export function formatPlan(plan: Plan): string {
  const lines = [`Plan: ${plan.title}`];
  if (plan.steps.length === 0) lines.push('  (nothing to do)');
  plan.steps.forEach((s, i) => {
    lines.push(`  ${i + 1}. ${s.kind} ${s.target}`);
    lines.push(`     why: ${s.cause}`);
    if (s.bestEffort)
      lines.push(`     best effort: ${s.bestEffortReason ?? 'a failure is only a warning'}`);
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
