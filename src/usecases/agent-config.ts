/**
 * The agent's configuration for one sandbox (product.md §14), from what onboarding recorded: the
 * manifest of the blueprint in use, the provider's request shape, the model, the dashboard ports
 * and the attached channels. Shared by onboarding and rebuild; also names the OpenShell providers
 * a sandbox is created with (the inference provider and every attached channel's).
 */
import { randomUUID } from 'node:crypto';
import type { DockerEngine } from '../adapters/docker/engine.ts';
import type { AgentConfigBundle } from '../core/agent-config/generate.ts';
import type { Blueprint } from '../core/blueprint/schema.ts';
import { findChannel } from '../core/ops/channels.ts';
import { findProvider } from '../core/providers.ts';
import type { Agent } from '../core/registry/schema.ts';
import type { World } from '../world.ts';

export interface AgentConfigInput {
  blueprint: { dir: string; blueprint: Blueprint };
  agent: Agent;
  sandbox: string;
  /** The provider key recorded at onboarding (core/providers.ts). */
  provider: string;
  model: string;
  /** The host port of the dashboard forward. */
  hostPort: number;
  channels: string[];
  /** The sandbox's instance id (instanceFor); a new one when absent. */
  instance?: string;
}

/** The image label that carries the instance id of the agent config baked into it. */
export const INSTANCE_LABEL = 'ai.nvidia.nemoclaw.agent-instance';

/**
 * The instance id of this sandbox's agent config: the one its current image carries, so that
 * onboarding again or rebuilding with nothing changed reuses the image (and its dashboard token);
 * a new one for a new sandbox or when that image is gone.
 */
export async function instanceFor(
  world: Pick<World, 'docker'>,
  engine: DockerEngine,
  image: string | undefined,
) {
  if (image) {
    const { inspectImage } = await world.docker();
    const v = (await inspectImage(engine, image))?.labels[INSTANCE_LABEL];
    if (v && /^[A-Za-z0-9-]{8,64}$/.test(v)) return v;
  }
  return randomUUID();
}

export async function agentConfigFor(
  world: Pick<World, 'blueprints'>,
  i: AgentConfigInput,
): Promise<AgentConfigBundle> {
  const { loadAgentManifest } = await world.blueprints();
  const { generateAgentConfig } = await import('../core/agent-config/generate.ts');
  const manifest = await loadAgentManifest(i.blueprint.dir, i.blueprint.blueprint, i.agent);
  return generateAgentConfig(manifest, {
    sandbox: i.sandbox,
    model: i.model,
    api: findProvider(i.provider)?.api ?? 'openai',
    // `openshell forward start [bind:]port` targets the same port inside the sandbox (v0.0.111
    // crates/openshell-core/src/forward.rs), so the agent listens on the port the user chose; the
    // blueprint's dashboard_port is only the default choice.
    dashboardPort: i.hostPort,
    hostPort: i.hostPort,
    channels: i.channels.flatMap((n) => {
      const c = findChannel(n);
      return c ? [{ name: c.name, credentialEnv: c.credentials.map((x) => x.env) }] : [];
    }),
    instance: i.instance ?? randomUUID(),
  });
}

/** Environment the agent's processes need, from the manifest (set at sandbox creation). */
export async function agentEnvFor(
  world: Pick<World, 'blueprints'>,
  blueprint: { dir: string; blueprint: Blueprint },
  agent: Agent,
): Promise<Record<string, string>> {
  const { loadAgentManifest } = await world.blueprints();
  return (await loadAgentManifest(blueprint.dir, blueprint.blueprint, agent)).config.env;
}
