/**
 * An agent's manifest (`blueprints/<v>/agents/<agent>.yaml`, product.md §14): where the agent keeps
 * its configuration and its writable state, and a template of its config file whose `{{…}}` leaves
 * nemoclaw fills from the onboarding answers. Everything agent-specific is here, so a third agent is
 * a new manifest, not new code.
 */
import { z } from 'zod';

const AbsPath = z.string().startsWith('/');
const EnvName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an environment variable name');

/** One channel's piece of the config: the value set at `at` (a dotted key path). */
export const ChannelTemplateSchema = z.strictObject({
  at: z.string().min(1),
  value: z.record(z.string(), z.unknown()),
});

export const AgentConfigSpecSchema = z.strictObject({
  /** The config file's format. */
  format: z.enum(['json', 'yaml']),
  /** Owner and mode of the installed config file: readable by the agent's group, writable by nobody but root. */
  owner: z.string().regex(/^[a-z_][a-z0-9_-]*$/),
  group: z.string().regex(/^[a-z_][a-z0-9_-]*$/),
  mode: z.string().regex(/^0[0-7]{3}$/),
  /** The agent's user: owns the writable state. */
  user: z.string().regex(/^[a-z_][a-z0-9_-]*$/),
  /** Where writable state lives (apart from the read-only config folder). */
  state_dir: AbsPath,
  /** Subfolders of state_dir created for the agent. */
  state_dirs: z.array(z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/)),
  /** Names in the config folder that point into state_dir (for tools that look in the old place). */
  links: z.array(z.string().regex(/^[A-Za-z0-9._-]+$/)).default([]),
  /** Environment every agent process needs to find the two places (set at sandbox creation). */
  env: z.record(EnvName, z.string()).default({}),
  /** Base URL of inference.local per API shape. */
  base_url: z.strictObject({ openai: z.string().url(), anthropic: z.string().url() }),
  /** The agent's name for each API shape. */
  api: z.strictObject({ openai: z.string().min(1), anthropic: z.string().min(1) }),
  /** The config file with `{{name}}` leaves (see core/agent-config/generate.ts for the names). */
  template: z.record(z.string(), z.unknown()),
  /** Per channel: what the config gains when the channel is attached. */
  channels: z.record(z.string(), ChannelTemplateSchema).default({}),
});
export type AgentConfigSpec = z.infer<typeof AgentConfigSpecSchema>;

export const AgentManifestSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  display_name: z.string(),
  binary: AbsPath,
  config_dir: AbsPath,
  config_file: AbsPath,
  skills_dir: AbsPath,
  model_config: z.strictObject({ model_key: z.string(), base_url: z.string().url() }),
  exclude_from_snapshot: z.array(z.string()).default([]),
  config: AgentConfigSpecSchema,
});
export type AgentManifest = z.infer<typeof AgentManifestSchema>;
