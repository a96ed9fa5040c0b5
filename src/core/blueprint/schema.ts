/** Blueprint files: `blueprints/<version>/blueprint.yaml` and `blueprints/index.yaml` (product.md §6). */
import { z } from 'zod';

const Version = z.string().regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, 'must be X.Y.Z');
const RelPath = z
  .string()
  .min(1)
  .refine(
    (p) => !p.startsWith('/') && !p.split('/').includes('..'),
    'must be a relative path inside the package',
  );
export const DigestString = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 lowercase hex>');

export const AgentSpecSchema = z.strictObject({
  display_name: z.string(),
  base_image: z.string().min(1),
  manifest: RelPath,
  /** The agent's package and the version its generated config is checked against. */
  agent_package: z.strictObject({ name: z.string().min(1), version: z.string().min(1) }).optional(),
  start_command: z.array(z.string()).min(1),
  dashboard_port: z.number().int().min(1).max(65535),
  /** Directories and files (absolute, in the sandbox) that hold the agent's memory. */
  state_paths: z.array(z.string().startsWith('/')).min(1),
  /** Binaries in the sandbox that make the agent's network calls. */
  egress_binaries: z.array(z.string().startsWith('/')).min(1),
});
export type AgentSpec = z.infer<typeof AgentSpecSchema>;

export const InferenceProfileSchema = z.strictObject({
  provider_type: z.string(),
  provider_name: z.string(),
  endpoint: z.string(),
  model: z.string(),
  credential_env: z.string().optional(),
  dynamic_endpoint: z.boolean().optional(),
  timeout_secs: z.number().int().positive().optional(),
});

/**
 * A step that brings the agent's restored state to this blueprint's layout (issue 15). It runs in
 * the new sandbox, after the restore and before the sandbox is declared healthy, when the sandbox
 * comes from a blueprint older than `since` (default: this blueprint's version). `run` is an argv,
 * or the path of a script inside the blueprint folder that runs with `sh`. Steps must be
 * idempotent: a killed upgrade runs the interrupted one again on resume.
 */
export const MigrationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lowercase letters, digits, . _ -'),
  description: z.string().min(1),
  since: Version.optional(),
  agents: z
    .array(z.enum(['openclaw', 'hermes']))
    .min(1)
    .optional(),
  run: z.union([z.array(z.string()).min(1), RelPath]),
});
export type Migration = z.infer<typeof MigrationSchema>;

/** A named choice at onboard (`profiles list`): an inference profile and the resources to use. */
export const ProfileSchema = z.strictObject({
  description: z.string().optional(),
  inference: z.string(),
  resources: z.strictObject({ cpu: z.string(), memory: z.string() }).partial().optional(),
});
export type Profile = z.infer<typeof ProfileSchema>;

export const BlueprintSchema = z.strictObject({
  version: Version,
  description: z.string().optional(),
  openshell: z.strictObject({
    min_version: Version,
    max_version: Version,
    gateway_image: z.string().min(1),
    supervisor_image: z.string().min(1),
    supervisor_binary_path: z.string().startsWith('/'),
  }),
  agents: z.strictObject({ openclaw: AgentSpecSchema, hermes: AgentSpecSchema }),
  inference: z.strictObject({
    profiles: z.record(z.string(), InferenceProfileSchema),
  }),
  policy: z.strictObject({
    baseline: z.strictObject({ openclaw: RelPath, hermes: RelPath }),
    tiers: RelPath,
    presets: z.record(z.string(), RelPath),
  }),
  resources: z.strictObject({
    cpu: z.string(),
    memory: z.string(),
    min_memory_mb: z.number().int().positive(),
    min_disk_mb: z.number().int().positive(),
    min_docker_version: Version,
  }),
  profiles: z.record(z.string(), ProfileSchema).optional(),
  migrations: z.array(MigrationSchema).optional(),
});
export type Blueprint = z.infer<typeof BlueprintSchema>;

export const IndexEntrySchema = z.strictObject({
  digest: DigestString,
  /** Released entries never change; the digest script refuses to rewrite them. */
  released: z.boolean(),
  /** sha256 of every covered file, so a mismatch can name the file that differs. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});
export type IndexEntry = z.infer<typeof IndexEntrySchema>;

export const BlueprintIndexSchema = z.strictObject({
  versions: z.record(Version, IndexEntrySchema),
});
export type BlueprintIndex = z.infer<typeof BlueprintIndexSchema>;

/** Every file the digest covers besides the blueprint folder itself: the policy and preset files. */
export function referencedFiles(bp: Blueprint): string[] {
  const refs = new Set<string>([
    bp.policy.baseline.openclaw,
    bp.policy.baseline.hermes,
    bp.policy.tiers,
  ]);
  for (const p of Object.values(bp.policy.presets)) refs.add(p);
  return [...refs].sort();
}

/** `blueprints/<version>.fetched.json`: what a URL fetch installed (read back, so bounded). */
export const FetchedBlueprintRecordSchema = z.strictObject({
  url: z.string().min(1).max(4096),
  archiveSha256: DigestString,
  digest: DigestString,
  files: z
    .record(z.string().min(1).max(1024), z.string().regex(/^[0-9a-f]{64}$/))
    .refine((f) => Object.keys(f).length <= 10_000, 'too many files'),
});
export type FetchedBlueprintRecord = z.infer<typeof FetchedBlueprintRecordSchema>;
