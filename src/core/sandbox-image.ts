/**
 * The sandbox image (product.md §8 step 5): its content-addressed tag, the only build arguments it
 * ever gets, its labels, and which files of a user's `--from` folder never enter a build context.
 * Pure.
 */
import { createHash } from 'node:crypto';
import { MANAGED_BY_LABEL } from './gateway-plan.ts';

export const IMAGE_REPO_PREFIX = 'nemoclaw-sandbox-';
export const CONTEXT_WARN_BYTES = 100 * 1024 * 1024;

/**
 * The build key covers everything that decides the image's content: the blueprint tree digest (the
 * Dockerfile and start script are in it), the agent and the base image. A changed base image
 * override therefore never reuses an image built from another base. The generated agent config
 * (per sandbox: it carries an instance id) makes the image this sandbox's own.
 */
export function buildKey(o: {
  blueprintDigest: string;
  agent: string;
  baseImage: string;
  /** Digest of the generated agent configuration (core/agent-config), when the build carries one. */
  configDigest?: string;
}): string {
  const h = createHash('sha256').update(`${o.blueprintDigest}\0${o.agent}\0${o.baseImage}\n`);
  if (o.configDigest) h.update(`config\0${o.configDigest}\n`);
  return h.digest('hex');
}

/** `nemoclaw-sandbox-<agent>:<blueprint version>-<first 12 of the build key>`. */
export function sandboxImageTag(o: {
  agent: string;
  blueprintVersion: string;
  key: string;
}): string {
  return `${IMAGE_REPO_PREFIX}${o.agent}:${o.blueprintVersion}-${o.key.replace(/^sha256:/, '').slice(0, 12)}`;
}

/** A user's own Dockerfile: tagged by the digest of the filtered context. */
export function customImageTag(o: { agent: string; contextDigest: string }): string {
  return `${IMAGE_REPO_PREFIX}${o.agent}:custom-${o.contextDigest.replace(/^sha256:/, '').slice(0, 12)}`;
}

/**
 * The complete list of build arguments. Nothing else is ever passed: build args end up in the
 * image history, so a secret must never be one (product.md §9).
 */
export function sandboxBuildArgs(o: {
  baseImage: string;
  agent: string;
  blueprintVersion: string;
}): Record<string, string> {
  return { BASE_IMAGE: o.baseImage, AGENT: o.agent, BLUEPRINT_VERSION: o.blueprintVersion };
}

export function sandboxImageLabels(o: {
  agent: string;
  blueprintVersion: string;
  blueprintDigest?: string;
  key: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: 'nemoclaw',
    'ai.nvidia.nemoclaw.role': 'sandbox-image',
    'ai.nvidia.nemoclaw.agent': o.agent,
    'ai.nvidia.nemoclaw.blueprint': o.blueprintVersion,
    ...(o.blueprintDigest ? { 'ai.nvidia.nemoclaw.blueprint-digest': o.blueprintDigest } : {}),
    'ai.nvidia.nemoclaw.build-key': o.key,
    ...o.extra,
  };
}

const EXCLUDED_DIRS = new Set([
  '.git',
  'node_modules',
  '.ssh',
  '.aws',
  '.gnupg',
  '.azure',
  '.kube',
  'secrets',
]);
const EXCLUDED_FILES = [
  /^\.env($|\.)/,
  /\.pem$/i,
  /\.key$/i,
  /\.p12$/i,
  /\.pfx$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)(\.pub)?$/,
  /^\.npmrc$/,
  /^\.pypirc$/,
  /^\.netrc$/,
  /^\.docker$/,
];

/**
 * Whether a path (relative, `/`-separated) of a `--from` context is left out: version control,
 * dependencies, and anything that usually holds credentials.
 */
export function excludedFromContext(relPath: string): boolean {
  const parts = relPath.split('/').filter(Boolean);
  if (parts.some((p) => EXCLUDED_DIRS.has(p))) return true;
  const base = parts.at(-1) ?? '';
  return EXCLUDED_FILES.some((r) => r.test(base));
}

/** Digest of a context from its sorted `<path>\0<sha256>` lines (like the blueprint tree digest). */
export function contextDigest(files: { path: string; sha256: string }[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    h.update(`${f.path}\0${f.sha256}\n`);
  }
  return `sha256:${h.digest('hex')}`;
}
