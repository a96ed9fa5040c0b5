/**
 * The sandbox registry (`sandboxes.json`), product.md §5. Written with zod/mini: this schema loads
 * on the `list` fast path, where full zod would cost more than the whole startup budget.
 */
import * as z from 'zod/mini';

export const REGISTRY_SCHEMA_VERSION = 1;

export const AgentSchema = z.enum(['openclaw', 'hermes']);
export type Agent = z.infer<typeof AgentSchema>;

export const PolicyTierSchema = z.enum(['restricted', 'balanced', 'open']);
export type PolicyTier = z.infer<typeof PolicyTierSchema>;

export const CustomPolicySchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  /** The YAML of the `network_policies` entries it adds, as the user gave it. */
  content: z.string(),
});
export type CustomPolicy = z.infer<typeof CustomPolicySchema>;

export const SandboxEntrySchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  agent: AgentSchema,
  provider: z.string(),
  model: z.string(),
  endpointUrl: z.optional(z.string()),
  blueprintVersion: z.string(),
  blueprintDigest: z.string().check(z.regex(/^sha256:[0-9a-f]{64}$/)),
  image: z.string(),
  policyTier: PolicyTierSchema,
  presets: z.array(z.string()),
  customPolicies: z._default(z.array(CustomPolicySchema), []),
  gpu: z.strictObject({
    enabled: z.boolean(),
    count: z.optional(z.number().check(z.int(), z.positive())),
  }),
  dashboardPort: z.number().check(z.int(), z.gte(1), z.lte(65535)),
  gatewayName: z.string(),
  gatewayUrl: z.optional(z.string()),
  /** OpenShell workspace holding its provider, route and sandbox; absent = `default`. */
  workspace: z.optional(z.string()),
  channels: z._default(z.array(z.string()), []),
  /** channel → keyed fingerprint of its token (core/ops/token-fingerprint.ts); never the token. */
  channelTokens: z.optional(
    z.record(z.string(), z.string().check(z.regex(/^hmac-sha256:[0-9a-f]{64}$/))),
  ),
  /** What it was made from, so a rebuild keeps it: the --blueprint given, its pin, a --from. */
  blueprintSource: z.optional(z.string()),
  blueprintSha256: z.optional(z.string()),
  fromDockerfile: z.optional(z.string()),
  /** OpenShell providers attached at create (a rebuild attaches them again). */
  providers: z.optional(z.array(z.string())),
  /** The blueprint profile chosen at onboard (`profiles list`). */
  profile: z.optional(z.string()),
  /** `stopped` after `<name> stop`: recover leaves it so, status does not call it unhealthy. */
  desiredState: z.optional(z.enum(['running', 'stopped'])),
  /** The channels the agent's generated config names (set when its image is built). */
  agentChannels: z.optional(z.array(z.string())),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SandboxEntry = z.infer<typeof SandboxEntrySchema>;

export const RegistrySchema = z.strictObject({
  schemaVersion: z.literal(REGISTRY_SCHEMA_VERSION),
  defaultSandbox: z.nullable(z.string()),
  sandboxes: z.record(z.string(), SandboxEntrySchema),
});
export type Registry = z.infer<typeof RegistrySchema>;

export function emptyRegistry(): Registry {
  return { schemaVersion: REGISTRY_SCHEMA_VERSION, defaultSandbox: null, sandboxes: {} };
}

/** Pure registry edits. */
export function withSandbox(reg: Registry, entry: SandboxEntry): Registry {
  return {
    ...reg,
    defaultSandbox: reg.defaultSandbox ?? entry.name,
    sandboxes: { ...reg.sandboxes, [entry.name]: entry },
  };
}

export function withoutSandbox(reg: Registry, name: string): Registry {
  const sandboxes = { ...reg.sandboxes };
  delete sandboxes[name];
  let defaultSandbox = reg.defaultSandbox;
  // Removing the default promotes the first remaining entry.
  if (defaultSandbox === name) defaultSandbox = Object.keys(sandboxes).sort()[0] ?? null;
  return { ...reg, defaultSandbox, sandboxes };
}
