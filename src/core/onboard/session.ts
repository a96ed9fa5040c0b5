/**
 * The onboarding session (`onboard-session.json`): the intent, each step's status and what the
 * completed steps produced, so `--resume` reuses every answer and skips what is done. Secret-free.
 */
import { z } from 'zod';

export const ONBOARD_STEPS = [
  { id: 'preflight', title: 'Preflight checks' },
  { id: 'blueprint', title: 'Verifying the blueprint and OpenShell version' },
  { id: 'gateway', title: 'Starting the OpenShell gateway' },
  { id: 'provider', title: 'Setting up the inference provider' },
  { id: 'image', title: 'Building the sandbox image' },
  { id: 'sandbox', title: 'Creating the sandbox' },
  { id: 'policy', title: 'Applying the policy tier and presets' },
  { id: 'forward', title: 'Forwarding the dashboard' },
] as const;
export type StepId = (typeof ONBOARD_STEPS)[number]['id'];
export const STEP_IDS = ONBOARD_STEPS.map((s) => s.id) as StepId[];

export const SESSION_SCHEMA_VERSION = 1;

const GpuSchema = z.union([
  z.strictObject({ mode: z.literal('auto') }),
  z.strictObject({ mode: z.literal('off') }),
  z.strictObject({ mode: z.literal('on'), count: z.number().int().positive().optional() }),
]);

export const IntentSchema = z.strictObject({
  agent: z.enum(['openclaw', 'hermes']),
  provider: z.enum([
    'build',
    'openai',
    'anthropic',
    'gemini',
    'custom',
    'anthropicCompatible',
    'ollama',
    'vllm',
    'nim-local',
  ]),
  model: z.string(),
  endpointUrl: z.string().optional(),
  sandboxName: z.string(),
  policyTier: z.enum(['restricted', 'balanced', 'open']),
  extraPresets: z.array(z.string()),
  gpu: GpuSchema,
  dashboardPort: z.number().int(),
  gatewayPort: z.number().int(),
  gatewayUrl: z.string().optional(),
  imageRegistry: z.string().optional(),
  recreate: z.boolean(),
  acceptThirdParty: z.boolean(),
  blueprint: z.string().optional(),
  blueprintSha256: z.string().optional(),
  fromDockerfile: z.string().optional(),
  profile: z.string().optional(),
});

const StepStateSchema = z.strictObject({
  status: z.enum(['pending', 'in_progress', 'complete', 'failed', 'skipped']),
  at: z.string().optional(),
  error: z.string().optional(),
});

export const OutputsSchema = z.strictObject({
  blueprintVersion: z.string().optional(),
  blueprintDigest: z.string().optional(),
  gatewayName: z.string().optional(),
  gatewayUrl: z.string().optional(),
  providerName: z.string().optional(),
  model: z.string().optional(),
  image: z.string().optional(),
  gpu: z
    .strictObject({ enabled: z.boolean(), count: z.number().int().positive().optional() })
    .optional(),
  presets: z.array(z.string()).optional(),
  forwardPort: z.number().int().optional(),
  snapshotBeforeRecreate: z.string().optional(),
});
export type Outputs = z.infer<typeof OutputsSchema>;

export const SessionSchema = z.strictObject({
  schemaVersion: z.literal(SESSION_SCHEMA_VERSION),
  id: z.string(),
  startedAt: z.string(),
  updatedAt: z.string(),
  intent: IntentSchema,
  steps: z.record(z.string(), StepStateSchema),
  outputs: OutputsSchema,
  failure: z
    .strictObject({ step: z.string(), message: z.string(), hint: z.string().optional() })
    .optional(),
  completedAt: z.string().optional(),
});
export type Session = z.infer<typeof SessionSchema>;

export function newSession(intent: Session['intent'], now: Date, id: string): Session {
  const at = now.toISOString();
  return {
    schemaVersion: SESSION_SCHEMA_VERSION,
    id,
    startedAt: at,
    updatedAt: at,
    intent,
    steps: Object.fromEntries(STEP_IDS.map((s) => [s, { status: 'pending' as const }])),
    outputs: {},
  };
}

export function isComplete(s: Session): boolean {
  return STEP_IDS.every(
    (id) => s.steps[id]?.status === 'complete' || s.steps[id]?.status === 'skipped',
  );
}

export function nextStep(s: Session): StepId | undefined {
  return STEP_IDS.find((id) => !['complete', 'skipped'].includes(s.steps[id]?.status ?? 'pending'));
}
