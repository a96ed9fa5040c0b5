/**
 * The rebuild transaction's journal (`journal/<name>.json`, product.md §10). Written before each
 * step starts and after it ends, so a failure or a kill at any point leaves a record that
 * `rebuild --resume` continues from and `status` reports. Secret-free.
 */
import { z } from 'zod';

export const REBUILD_STEPS = [
  { id: 'snapshot', title: 'Taking a snapshot of the sandbox' },
  { id: 'verify-snapshot', title: 'Verifying the snapshot' },
  { id: 'delete', title: 'Deleting the old sandbox' },
  { id: 'image', title: 'Building the sandbox image' },
  { id: 'create', title: 'Creating the new sandbox' },
  { id: 'ready', title: 'Waiting for the sandbox to be Ready' },
  { id: 'restore', title: 'Restoring the agent state' },
  { id: 'policies', title: 'Re-applying presets and custom policies' },
  { id: 'verify', title: 'Verifying the rebuilt sandbox' },
  { id: 'migrate', title: "Running the blueprint's migrations on the restored state" },
  { id: 'healthy', title: 'Checking the sandbox is healthy' },
] as const;
export type RebuildStepId = (typeof REBUILD_STEPS)[number]['id'];

export const JOURNAL_SCHEMA_VERSION = 1;

// The journal is read back from disk: every field is bounded, and steps are the known ones.
const At = z.iso.datetime();
const StepState = z.strictObject({
  status: z.enum(['pending', 'in_progress', 'complete', 'failed']),
  at: At.optional(),
  error: z.string().max(8192).optional(),
});
const StepId = z.enum(REBUILD_STEPS.map((s) => s.id) as [RebuildStepId, ...RebuildStepId[]]);

export const JournalSchema = z.strictObject({
  schemaVersion: z.literal(JOURNAL_SCHEMA_VERSION),
  kind: z.literal('rebuild'),
  sandbox: z.string().min(1).max(64),
  startedAt: At,
  updatedAt: At,
  /** The snapshot taken at the start: what the rebuilt sandbox must hold again. */
  snapshotId: z
    .string()
    .regex(/^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$/)
    .optional(),
  image: z.string().min(1).max(512).optional(),
  steps: z.partialRecord(StepId, StepState),
  /** rollback: back to `from` from the kept snapshot (issue 15). */
  mode: z.enum(['rebuild', 'rollback']).optional(),
  /** The blueprint it rebuilds onto: a version, folder or URL (+ pin), fixed when it starts. */
  target: z
    .strictObject({
      spec: z.string().min(1).max(2048),
      sha256: z.string().max(80).optional(),
    })
    .optional(),
  /** What the sandbox was before, for the diff and for `rebuild --rollback`. */
  from: z
    .strictObject({
      blueprintVersion: z.string().max(64),
      blueprintDigest: z.string().max(80),
      blueprintSource: z.string().max(2048).optional(),
      blueprintSha256: z.string().max(80).optional(),
      image: z.string().max(512),
    })
    .optional(),
  /** The OpenShell workspace it moves into (from `default`); absent: it stays where it is. */
  workspace: z.string().optional(),
  /** Each migration by id: journaled like the steps. */
  migrations: z.record(z.string().max(128), StepState).optional(),
  failure: z.strictObject({ step: z.string().max(64), message: z.string().max(8192) }).optional(),
  completedAt: At.optional(),
});
export type Journal = z.infer<typeof JournalSchema>;

export function newJournal(sandbox: string, now: Date): Journal {
  const at = now.toISOString();
  return {
    schemaVersion: JOURNAL_SCHEMA_VERSION,
    kind: 'rebuild',
    sandbox,
    startedAt: at,
    updatedAt: at,
    steps: Object.fromEntries(REBUILD_STEPS.map((s) => [s.id, { status: 'pending' as const }])),
  };
}

/** The first step not complete, or undefined when the rebuild finished. */
export function pendingStep(j: Journal): RebuildStepId | undefined {
  return REBUILD_STEPS.find((s) => j.steps[s.id]?.status !== 'complete')?.id;
}

export function isInterrupted(j: Journal): boolean {
  return !j.completedAt && pendingStep(j) !== undefined;
}

/** One line for `status` and `doctor`. */
export function describeInterruption(j: Journal): string {
  const step = pendingStep(j);
  const title = REBUILD_STEPS.find((s) => s.id === step)?.title ?? step;
  const why = j.failure ? `: ${j.failure.message}` : ' (the process stopped)';
  return `rebuild interrupted at "${title}"${why}. Finish it with: nemoclaw ${j.sandbox} rebuild --resume`;
}
