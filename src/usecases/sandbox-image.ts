/**
 * The sandbox image (product.md §8 step 5): the blueprint's Dockerfile built on the agent's base
 * image, tagged by content so an existing tag skips the build. Or, with `--from`, a user's own
 * Dockerfile built from a filtered context. No secret is ever a build argument.
 */
import { basename, dirname, relative, resolve, sep } from 'node:path';
import type { ExtraFile } from '../adapters/docker/context-extras.ts';
import type { DockerEngine } from '../adapters/docker/engine.ts';
import type { BuildStatus } from '../adapters/docker/images.ts';
import type { Blueprint } from '../core/blueprint/schema.ts';
import { NemoclawError } from '../core/errors.ts';
import type { Agent } from '../core/registry/schema.ts';
import {
  buildKey,
  contextDigest,
  CONTEXT_WARN_BYTES,
  customImageTag,
  excludedFromContext,
  sandboxBuildArgs,
  sandboxImageLabels,
  sandboxImageTag,
} from '../core/sandbox-image.ts';
import type { World } from '../world.ts';

export interface SandboxImageDeps extends Pick<World, 'docker' | 'blueprints'> {
  engine: DockerEngine;
  env: Record<string, string | undefined>;
  onProgress?: (line: string) => void;
  onWarning?: (text: string) => void;
  /** The build log's lines; without it they go to onProgress. */
  onBuildLog?: (line: string) => void;
  /** Where a build is (step, context bytes sent), for a one-line display. */
  onStatus?: (s: BuildStatus) => void;
}

export interface SandboxImageResult {
  tag: string;
  built: boolean;
  baseImage?: string;
}

/** The base image, build key and tag a build uses (and a dry run shows). Pure. */
export function sandboxImageRef(
  env: Record<string, string | undefined>,
  o: {
    blueprint: { version: string; blueprint: Blueprint };
    blueprintDigest: string;
    agent: Agent;
    /** The generated agent configuration's digest; a dry run of a new sandbox does not know it. */
    configDigest?: string;
  },
): { baseImage: string; key: string; tag: string } {
  const baseImage =
    env.NEMOCLAW_SANDBOX_BASE_IMAGE?.trim() || o.blueprint.blueprint.agents[o.agent].base_image;
  const key = buildKey({
    blueprintDigest: o.blueprintDigest,
    agent: o.agent,
    baseImage,
    configDigest: o.configDigest,
  });
  const tag = sandboxImageTag({ agent: o.agent, blueprintVersion: o.blueprint.version, key });
  return { baseImage, key, tag };
}

export async function buildSandboxImage(
  deps: SandboxImageDeps,
  o: {
    /** The verified blueprint: its folder is the build context. */
    blueprint: { dir: string; version: string; blueprint: Blueprint };
    /** The tree digest from verification (verifyOrThrow(...).actual). */
    blueprintDigest: string;
    agent: Agent;
    extraLabels?: Record<string, string>;
    /** The generated agent configuration (usecases/agent-config.ts): files added to the context. */
    agentConfig: { files: ExtraFile[]; digest: string };
  },
): Promise<SandboxImageResult> {
  const { baseImage, key, tag } = sandboxImageRef(deps.env, {
    ...o,
    configDigest: o.agentConfig.digest,
  });
  const { inspectImage, ensureImage, collectContext, contextTarWithExtras, buildImage } =
    await deps.docker();
  if (await inspectImage(deps.engine, tag)) {
    deps.onProgress?.(`Image ${tag} exists; skipping the build.`);
    return { tag, built: false, baseImage };
  }
  await ensureImage(deps.engine, baseImage, {
    overrideEnv: 'NEMOCLAW_SANDBOX_BASE_IMAGE',
    purpose: `${o.agent} base`,
    onProgress: deps.onProgress,
  });
  const ctx = await collectContext(o.blueprint.dir);
  deps.onProgress?.(`Building ${tag} from blueprint ${o.blueprint.version} on ${baseImage} …`);
  await buildImage(deps.engine, await contextTarWithExtras(ctx, o.agentConfig.files), {
    tag,
    buildargs: sandboxBuildArgs({
      baseImage,
      agent: o.agent,
      blueprintVersion: o.blueprint.version,
    }),
    labels: sandboxImageLabels({
      agent: o.agent,
      blueprintVersion: o.blueprint.version,
      blueprintDigest: o.blueprintDigest,
      key,
      extra: o.extraLabels,
    }),
    onProgress: deps.onBuildLog ?? deps.onProgress,
    onStatus: deps.onStatus,
    hint: 'Fix the cause shown above (base image, disk, memory), then run: nemoclaw onboard --resume',
  });
  return { tag, built: true, baseImage };
}

/**
 * `--from <Dockerfile>`: the Dockerfile's folder is the context, minus version control,
 * dependencies and credential files; above 100 MB the user is warned (it is all sent to the Engine).
 */
export async function buildCustomSandboxImage(
  deps: SandboxImageDeps,
  o: {
    dockerfile: string;
    agent: Agent;
    extraLabels?: Record<string, string>;
    /** Above this size the user is warned; default 100 MB. */
    warnBytes?: number;
  },
): Promise<SandboxImageResult & { excluded: string[]; contextBytes: number }> {
  const dockerfile = resolve(o.dockerfile);
  const root = dirname(dockerfile);
  const { collectContext, contextTarStream, inspectImage, buildImage } = await deps.docker();
  const rel = relative(root, dockerfile).split(sep).join('/');
  const ctx = await collectContext(root, (p) => p !== rel && excludedFromContext(p));
  if (!ctx.files.some((f) => f.path === rel)) {
    throw new NemoclawError('not-found', `${dockerfile} does not exist or is not a file.`, {
      hint: 'Pass the path of your Dockerfile: --from ./path/to/Dockerfile',
    });
  }
  if (ctx.totalBytes > (o.warnBytes ?? CONTEXT_WARN_BYTES)) {
    deps.onWarning?.(
      `The build context ${root} is ${(ctx.totalBytes / 1048576).toFixed(0)} MB; all of it is sent to Docker. Move the Dockerfile into a smaller folder to speed this up.`,
    );
  }
  if (ctx.excluded.length > 0) {
    deps.onProgress?.(
      `Left out of the build context: ${ctx.excluded.slice(0, 10).join(', ')}${ctx.excluded.length > 10 ? ' …' : ''}`,
    );
  }
  const digest = contextDigest(ctx.files);
  const tag = customImageTag({ agent: o.agent, contextDigest: digest });
  if (await inspectImage(deps.engine, tag)) {
    deps.onProgress?.(`Image ${tag} exists; skipping the build.`);
    return { tag, built: false, excluded: ctx.excluded, contextBytes: ctx.totalBytes };
  }
  deps.onProgress?.(`Building ${tag} from ${basename(dockerfile)} in ${root} …`);
  await buildImage(deps.engine, await contextTarStream(ctx), {
    tag,
    dockerfile: rel,
    buildargs: {},
    labels: sandboxImageLabels({
      agent: o.agent,
      blueprintVersion: 'custom',
      key: digest,
      extra: o.extraLabels,
    }),
    onProgress: deps.onBuildLog ?? deps.onProgress,
    onStatus: deps.onStatus,
    hint: `Fix ${dockerfile} (the failing step is shown above), then run the command again.`,
  });
  return { tag, built: true, excluded: ctx.excluded, contextBytes: ctx.totalBytes };
}
