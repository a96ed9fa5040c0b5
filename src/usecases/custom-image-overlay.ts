/**
 * `--from` images with the agent's generated configuration laid over them (core/custom-overlay.ts):
 * the user's Dockerfile is built as before, then one more stage FROM it runs the same install step
 * as the packaged image, so the agent keeps its state where snapshots and rebuilds look. Shared by
 * onboarding and rebuild.
 */
import type { Agent } from '../core/registry/schema.ts';
import type { AgentConfigInput } from './agent-config.ts';
import type { SandboxImageDeps, SandboxImageResult } from './sandbox-image.ts';

export async function buildConfiguredCustomImage(
  deps: SandboxImageDeps,
  o: {
    dockerfile: string;
    agent: Agent;
    extraLabels?: Record<string, string>;
    /** What the agent's configuration is generated from (the instance comes from previousImage). */
    config: Omit<AgentConfigInput, 'agent' | 'instance'>;
    /** The sandbox's current image: its instance id (and so its dashboard token) is kept. */
    previousImage?: string;
  },
): Promise<SandboxImageResult> {
  const { buildCustomSandboxImage } = await import('./sandbox-image.ts');
  const { agentConfigFor, instanceFor, INSTANCE_LABEL } = await import('./agent-config.ts');
  const { loadAgentManifest } = await deps.blueprints();
  const { buildImage, inspectImage, generatedContextTar, imageIdAndUser } = await deps.docker();
  const overlay = await import('../core/custom-overlay.ts');
  const { sandboxBuildArgs, sandboxImageLabels } = await import('../core/sandbox-image.ts');

  const custom = await buildCustomSandboxImage(deps, {
    dockerfile: o.dockerfile,
    agent: o.agent,
    extraLabels: o.extraLabels,
  });
  const instance = await instanceFor(deps, deps.engine, o.previousImage);
  const agentConfig = await agentConfigFor(deps, { ...o.config, agent: o.agent, instance });
  const manifest = await loadAgentManifest(
    o.config.blueprint.dir,
    o.config.blueprint.blueprint,
    o.agent,
  );
  const base = await imageIdAndUser(deps.engine, custom.tag);
  const { key, tag } = overlay.overlayTag({
    agent: o.agent,
    baseImageId: base.id,
    configDigest: agentConfig.digest,
  });
  if (await inspectImage(deps.engine, tag)) {
    deps.onProgress?.(`Image ${tag} exists; skipping the configuration layer.`);
    return { tag, built: custom.built };
  }
  deps.onProgress?.(`Laying the ${o.agent} configuration over ${custom.tag} as ${tag} …`);
  const files = [
    {
      path: overlay.OVERLAY_DOCKERFILE,
      content: overlay.overlayDockerfile(base.user),
      mode: 0o644,
    },
    { path: overlay.PRESERVE_PATH, content: overlay.preserveScript(manifest), mode: 0o755 },
    ...agentConfig.files,
  ];
  await buildImage(deps.engine, await generatedContextTar(files), {
    tag,
    dockerfile: overlay.OVERLAY_DOCKERFILE,
    buildargs: sandboxBuildArgs({
      baseImage: custom.tag,
      agent: o.agent,
      blueprintVersion: 'custom',
    }),
    labels: sandboxImageLabels({
      agent: o.agent,
      blueprintVersion: 'custom',
      key,
      extra: { ...o.extraLabels, [INSTANCE_LABEL]: instance },
    }),
    onProgress: deps.onBuildLog ?? deps.onProgress,
    onStatus: deps.onStatus,
    hint: `The configuration step over your image failed (shown above): it needs a POSIX shell, cp, tr, sed, chown and the user ${manifest.config.user} in the image.`,
  });
  return { tag, built: true };
}
