/** Rebuild journals as the CLI leaves them part-way, for the tests that read or resume one. */
import {
  newJournal,
  REBUILD_STEPS,
  type Journal,
  type RebuildStepId,
} from '../../src/core/rebuild/journal.ts';

/** A journal of `sandbox` whose steps before `step` are complete and `step` is `state`. */
export function journalAt(
  sandbox: string,
  step: RebuildStepId,
  state: NonNullable<Journal['steps'][RebuildStepId]>,
  now = new Date(),
): Journal {
  const j = newJournal(sandbox, now);
  for (const s of REBUILD_STEPS.slice(
    0,
    REBUILD_STEPS.findIndex((x) => x.id === step),
  ))
    j.steps[s.id] = { status: 'complete' };
  j.steps[step] = state;
  return j;
}
