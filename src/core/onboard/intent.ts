/**
 * The onboarding intent: every answer, secret-free (house style 11). Non-interactive runs build it
 * from flags and environment, validating everything before any step runs and naming each invalid
 * input in one message (product.md §8). Flags win over the environment.
 */
import { sandboxNameProblem } from '../names.ts';
import { findProvider, MODEL_RE, type ProviderKey } from '../providers.ts';
import type { Agent, PolicyTier } from '../registry/schema.ts';

import type { GpuRequest } from '../gpu.ts';

/** The GPU answer has one shape everywhere: core/gpu.ts decides what a request means. */
export type GpuChoice = GpuRequest;

export interface OnboardIntent {
  agent: Agent;
  provider: ProviderKey;
  model: string;
  /** The provider's base URL when the user supplies or overrides it. */
  endpointUrl?: string;
  sandboxName: string;
  policyTier: PolicyTier;
  /** Presets on top of the tier's. */
  extraPresets: string[];
  gpu: GpuChoice;
  dashboardPort: number;
  gatewayPort: number;
  /** A remote gateway to register instead of running one here. */
  gatewayUrl?: string;
  /** Where the sandbox image is pushed so a remote gateway can pull it (`host[:port]/path`). */
  imageRegistry?: string;
  recreate: boolean;
  acceptThirdParty: boolean;
  blueprint?: string;
  blueprintSha256?: string;
  /** A user's own Dockerfile for the sandbox image. */
  fromDockerfile?: string;
  /** A blueprint profile (`nemoclaw profiles list`): resources and inference profile. */
  profile?: string;
}

/** Raw answers as flags give them (already camel-cased by commander). */
export interface OnboardFlags {
  agent?: string;
  provider?: string;
  model?: string;
  endpointUrl?: string;
  name?: string;
  policyTier?: string;
  policyPresets?: string;
  gpu?: boolean;
  gpuCount?: string;
  dashboardPort?: string;
  gatewayPort?: string;
  gatewayUrl?: string;
  imageRegistry?: string;
  recreateSandbox?: boolean;
  yesIAcceptThirdPartySoftware?: boolean;
  blueprint?: string;
  blueprintSha256?: string;
  from?: string;
  profile?: string;
}

export interface InputProblem {
  /** The flag and env var, as the user would type them. */
  input: string;
  problem: string;
  /** The value was not given at all (the wizard can ask for it), rather than given and wrong. */
  missing?: boolean;
}

export interface ResolveContext {
  env: Record<string, string | undefined>;
  knownPresets: string[];
  experimental: boolean;
  defaultAgent: Agent;
  /** Default ports (from the blueprint) and the default sandbox name. */
  defaults: { dashboardPort: number; gatewayPort: number; sandboxName: string };
}

export const DEFAULT_SANDBOX_NAME = 'my-assistant';
const TIERS: PolicyTier[] = ['restricted', 'balanced', 'open'];

function truthy(v: string | undefined): boolean | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(v.trim())) return true;
  if (/^(0|false|no|off)$/i.test(v.trim())) return false;
  return undefined;
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

function parsePort(
  text: string | undefined,
  input: string,
  problems: InputProblem[],
  fallback: number,
): number {
  if (text === undefined || text.trim() === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1024 || n > 65535) {
    problems.push({ input, problem: `"${text}" is not a port from 1024 to 65535` });
    return fallback;
  }
  return n;
}

/** Validates every input at once; returns the intent or the list of problems. */
export function resolveIntent(
  flags: OnboardFlags,
  c: ResolveContext,
): { intent: OnboardIntent; problems: [] } | { intent?: undefined; problems: InputProblem[] } {
  const env = c.env;
  const problems: InputProblem[] = [];
  const pick = (flag: string | undefined, name: string) => (flag !== undefined ? flag : env[name]);

  const agentText = pick(flags.agent, 'NEMOCLAW_AGENT') ?? c.defaultAgent;
  if (agentText !== 'openclaw' && agentText !== 'hermes') {
    problems.push({
      input: '--agent / NEMOCLAW_AGENT',
      problem: `"${agentText}" is not an agent (openclaw, hermes)`,
    });
  }
  const agent: Agent = agentText === 'hermes' ? 'hermes' : 'openclaw';

  const providerText = (pick(flags.provider, 'NEMOCLAW_PROVIDER') ?? 'build').trim();
  const spec = findProvider(providerText);
  if (!spec) {
    problems.push({
      input: '--provider / NEMOCLAW_PROVIDER',
      problem: `unsupported provider "${providerText}"`,
    });
  } else if (spec.experimental && !c.experimental) {
    problems.push({
      input: '--provider / NEMOCLAW_PROVIDER',
      problem: `"${spec.key}" is experimental: set NEMOCLAW_EXPERIMENTAL=1 to use it`,
    });
  }

  const endpointUrl = pick(flags.endpointUrl, 'NEMOCLAW_ENDPOINT_URL')?.trim() || undefined;
  if (endpointUrl !== undefined) {
    if (!isHttpUrl(endpointUrl))
      problems.push({
        input: '--endpoint-url / NEMOCLAW_ENDPOINT_URL',
        problem: `"${endpointUrl}" is not an http(s) URL`,
      });
  } else if (spec && !spec.baseUrl) {
    problems.push({
      input: '--endpoint-url / NEMOCLAW_ENDPOINT_URL',
      problem: `provider "${spec.key}" needs the endpoint's base URL`,
      missing: true,
    });
  }

  const model = (pick(flags.model, 'NEMOCLAW_MODEL') ?? spec?.defaultModel ?? '').trim();
  if (model === '') {
    if (spec && !spec.local)
      problems.push({
        input: '--model / NEMOCLAW_MODEL',
        problem: `provider "${spec.key}" needs a model`,
        missing: true,
      });
  } else if (!MODEL_RE.test(model)) {
    problems.push({
      input: '--model / NEMOCLAW_MODEL',
      problem: `"${model}" has characters a model id cannot have`,
    });
  }

  if (spec?.userEnv && !env[spec.userEnv]?.trim()) {
    problems.push({
      input: spec.userEnv,
      problem: `provider "${spec.key}" needs its API key in ${spec.userEnv}`,
      missing: true,
    });
  }

  const sandboxName = (pick(flags.name, 'NEMOCLAW_SANDBOX_NAME') ?? c.defaults.sandboxName).trim();
  const nameProblem = sandboxNameProblem(sandboxName);
  if (nameProblem)
    problems.push({
      input: '--name / NEMOCLAW_SANDBOX_NAME',
      problem: `"${sandboxName}": ${nameProblem}`,
    });

  const tierText = (pick(flags.policyTier, 'NEMOCLAW_POLICY_TIER') ?? 'balanced').trim();
  if (!TIERS.includes(tierText as PolicyTier)) {
    problems.push({
      input: '--policy-tier / NEMOCLAW_POLICY_TIER',
      problem: `"${tierText}" is not a tier (${TIERS.join(', ')})`,
    });
  }

  const presetText = pick(flags.policyPresets, 'NEMOCLAW_POLICY_PRESETS') ?? '';
  const extraPresets = [
    ...new Set(
      presetText
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = extraPresets.filter((p) => !c.knownPresets.includes(p));
  if (unknown.length > 0) {
    problems.push({
      input: '--policy-presets / NEMOCLAW_POLICY_PRESETS',
      problem: `unknown preset(s): ${unknown.join(', ')} (known: ${c.knownPresets.join(', ')})`,
    });
  }

  let gpu: GpuChoice = { mode: 'auto' };
  const gpuCountText = pick(flags.gpuCount, 'NEMOCLAW_GPU_COUNT');
  const gpuEnv = env.NEMOCLAW_GPU?.trim();
  if (flags.gpu === false) gpu = { mode: 'off' };
  else if (flags.gpu === true) gpu = { mode: 'on' };
  else if (gpuEnv && gpuEnv !== 'auto') {
    const b = truthy(gpuEnv);
    if (b === undefined && !/^[1-9][0-9]*$/.test(gpuEnv)) {
      problems.push({
        input: 'NEMOCLAW_GPU',
        problem: `"${gpuEnv}" is not auto, 0, 1 or a GPU count`,
      });
    } else if (b === false) gpu = { mode: 'off' };
    else
      gpu =
        /^[1-9][0-9]*$/.test(gpuEnv) && gpuEnv !== '1'
          ? { mode: 'on', count: Number(gpuEnv) }
          : { mode: 'on' };
  }
  if (gpuCountText !== undefined) {
    const n = Number(gpuCountText);
    if (!Number.isInteger(n) || n < 1)
      problems.push({
        input: '--gpu-count / NEMOCLAW_GPU_COUNT',
        problem: `"${gpuCountText}" is not a GPU count of at least 1`,
      });
    else if (gpu.mode === 'off')
      problems.push({ input: '--gpu-count', problem: 'conflicts with --no-gpu / NEMOCLAW_GPU=0' });
    else gpu = { mode: 'on', count: n };
  }

  const dashboardPort = parsePort(
    pick(flags.dashboardPort, 'NEMOCLAW_DASHBOARD_PORT'),
    '--dashboard-port / NEMOCLAW_DASHBOARD_PORT',
    problems,
    c.defaults.dashboardPort,
  );
  const gatewayPort = parsePort(
    pick(flags.gatewayPort, 'NEMOCLAW_GATEWAY_PORT'),
    '--gateway-port / NEMOCLAW_GATEWAY_PORT',
    problems,
    c.defaults.gatewayPort,
  );
  if (dashboardPort === gatewayPort) {
    problems.push({
      input: '--dashboard-port / --gateway-port',
      problem: `both are ${dashboardPort}; they must differ`,
    });
  }

  const gatewayUrl = pick(flags.gatewayUrl, 'NEMOCLAW_GATEWAY_URL')?.trim() || undefined;
  if (gatewayUrl !== undefined) {
    if (!isHttpUrl(gatewayUrl))
      problems.push({
        input: '--gateway-url / NEMOCLAW_GATEWAY_URL',
        problem: `"${gatewayUrl}" is not an http(s) URL`,
      });
  }

  const imageRegistry = pick(flags.imageRegistry, 'NEMOCLAW_IMAGE_REGISTRY')?.trim() || undefined;
  const registryProblem = imageRegistryProblem(gatewayUrl, imageRegistry);
  if (registryProblem)
    problems.push({
      input: '--image-registry / NEMOCLAW_IMAGE_REGISTRY',
      problem: registryProblem,
    });

  const recreateEnv = env.NEMOCLAW_RECREATE_SANDBOX;
  const recreate = flags.recreateSandbox ?? truthy(recreateEnv) ?? false;
  if (flags.recreateSandbox === undefined && recreateEnv && truthy(recreateEnv) === undefined) {
    problems.push({
      input: 'NEMOCLAW_RECREATE_SANDBOX',
      problem: `"${recreateEnv}" is not 0 or 1`,
    });
  }
  const acceptThirdParty = Boolean(
    flags.yesIAcceptThirdPartySoftware || truthy(env.NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE),
  );
  if (!acceptThirdParty) {
    problems.push({
      input: '--yes-i-accept-third-party-software / NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE=1',
      problem:
        'onboarding installs third-party software (the agent, OpenShell); accept its licences to continue',
      missing: true,
    });
  }

  if (problems.length > 0 || !spec) return { problems };
  return {
    problems: [],
    intent: {
      agent,
      provider: spec.key,
      model,
      endpointUrl,
      sandboxName,
      policyTier: tierText as PolicyTier,
      extraPresets,
      gpu,
      dashboardPort,
      gatewayPort,
      gatewayUrl,
      imageRegistry,
      recreate,
      acceptThirdParty,
      blueprint: flags.blueprint ?? env.NEMOCLAW_BLUEPRINT,
      blueprintSha256: flags.blueprintSha256 ?? env.NEMOCLAW_BLUEPRINT_SHA256,
      fromDockerfile: flags.from ?? env.NEMOCLAW_FROM_DOCKERFILE,
      profile: flags.profile ?? env.NEMOCLAW_PROFILE,
    },
  };
}

export function formatProblems(problems: InputProblem[]): string {
  return [
    `${problems.length} invalid input${problems.length === 1 ? '' : 's'}:`,
    ...problems.map((p) => `  - ${p.input}: ${p.problem}`),
  ].join('\n');
}

const REGISTRY_RE = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/**
 * A remote gateway cannot use an image built here: OpenShell v0.0.111 builds `--from <Dockerfile>`
 * only for local gateways (`crates/openshell-cli/src/run.rs`, `build_from_dockerfile`) and a
 * remote cluster cannot pull a tag that only this host's Docker has. So the image is pushed to a
 * registry the user names, and onboarding against a remote gateway without one is refused.
 */
export function imageRegistryProblem(
  gatewayUrl: string | undefined,
  imageRegistry: string | undefined,
): string | undefined {
  if (imageRegistry !== undefined && !REGISTRY_RE.test(imageRegistry)) {
    return `"${imageRegistry}" is not a registry and repository path (host[:port]/path, lowercase)`;
  }
  if (gatewayUrl && !imageRegistry) {
    return 'a remote gateway cannot run an image built on this host: name a registry it can pull from, e.g. --image-registry registry.example.com/team (log in first with docker login)';
  }
  return undefined;
}
