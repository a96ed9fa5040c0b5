/**
 * The declarative configuration file (`config export`, `apply -f`): the sandboxes of one host or
 * many, each on the gateway it names. Secret-free: credentials appear by environment-variable name
 * only, and a value-looking entry is refused.
 */
import { z } from 'zod';
import { sandboxNameProblem } from '../names.ts';
import { findChannel } from '../ops/channels.ts';
import { findProvider } from '../providers.ts';
import type { SandboxEntry } from '../registry/schema.ts';

export const FLEET_SCHEMA_VERSION = 1;

const EnvName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name, never a value');

export const FleetSandboxSchema = z.strictObject({
  name: z.string().superRefine((n, ctx) => {
    const problem = sandboxNameProblem(n);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  agent: z.enum(['openclaw', 'hermes']),
  provider: z.string().refine((p) => findProvider(p) !== undefined, 'unknown provider'),
  model: z.string().min(1),
  endpointUrl: z.string().url().optional(),
  /** The blueprint inference profile the provider maps to; informational, checked on apply. */
  profile: z.string().optional(),
  /**
   * Where each credential comes from: `[NVIDIA_API_KEY]` reads it from the variable of that name;
   * `{NVIDIA_API_KEY: PROD_NVIDIA_KEY}` reads it from PROD_NVIDIA_KEY.
   */
  credentials: z.union([z.array(EnvName), z.record(EnvName, EnvName)]).default([]),
  tier: z.enum(['restricted', 'balanced', 'open']),
  presets: z.array(z.string()).default([]),
  customPolicies: z
    .array(z.strictObject({ name: z.string().min(1), content: z.string() }))
    .default([]),
  channels: z
    .array(z.string().refine((c) => findChannel(c) !== undefined, 'unknown channel'))
    .default([]),
  blueprint: z.string().min(1),
  gpu: z.strictObject({ enabled: z.boolean(), count: z.number().int().positive().optional() }),
  dashboardPort: z.number().int().min(1).max(65535),
  gateway: z.strictObject({ name: z.string().min(1), url: z.string().url().optional() }),
});
export type FleetSandbox = z.infer<typeof FleetSandboxSchema>;

export const FleetFileSchema = z
  .strictObject({
    schemaVersion: z.literal(FLEET_SCHEMA_VERSION),
    sandboxes: z.array(FleetSandboxSchema),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.sandboxes.forEach((s, i) => {
      if (seen.has(s.name)) {
        ctx.addIssue({ code: 'custom', path: ['sandboxes', i, 'name'], message: 'listed twice' });
      }
      seen.add(s.name);
    });
  });
export type FleetFile = z.infer<typeof FleetFileSchema>;

/** credential key → the environment variable it is read from. */
export function credentialSources(s: FleetSandbox): Record<string, string> {
  if (Array.isArray(s.credentials)) {
    return Object.fromEntries(s.credentials.map((n) => [n, n]));
  }
  return { ...s.credentials };
}

/** The file's view of a registered sandbox (no secrets: names only). */
export function exportSandbox(e: SandboxEntry): FleetSandbox {
  const p = findProvider(e.provider);
  const creds = [
    ...(p?.userEnv ? [p.userEnv] : []),
    ...e.channels.flatMap((c) => findChannel(c)?.credentials.map((x) => x.env) ?? []),
  ];
  return {
    name: e.name,
    agent: e.agent,
    provider: e.provider,
    model: e.model,
    ...(e.endpointUrl ? { endpointUrl: e.endpointUrl } : {}),
    ...(p ? { profile: p.profile } : {}),
    credentials: creds,
    tier: e.policyTier,
    presets: [...e.presets],
    customPolicies: e.customPolicies.map((c) => ({ name: c.name, content: c.content })),
    channels: [...e.channels],
    blueprint: e.blueprintVersion,
    gpu: e.gpu.count ? { enabled: e.gpu.enabled, count: e.gpu.count } : { enabled: e.gpu.enabled },
    dashboardPort: e.dashboardPort,
    gateway: { name: e.gatewayName, ...(e.gatewayUrl ? { url: e.gatewayUrl } : {}) },
  };
}
