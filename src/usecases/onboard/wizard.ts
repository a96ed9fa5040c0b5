/**
 * The interactive wizard: asks only what flags and environment did not answer, validates as you
 * type, and fills a secret-free intent. Nothing runs until the answers are complete.
 */
import type { Prompter } from '../../adapters/terminal/prompt.ts';
import { searchOrInput } from '../../core/prompt-choice.ts';
import { modelChoices } from '../../core/onboard/model-choices.ts';
import { UserError } from '../../core/errors.ts';
import {
  DEFAULT_SANDBOX_NAME,
  type OnboardFlags,
  type OnboardIntent,
} from '../../core/onboard/intent.ts';
import { sandboxNameProblem, suggestSandboxName } from '../../core/names.ts';
import {
  availableProviders,
  findProvider,
  MODEL_RE,
  type ProviderKey,
} from '../../core/providers.ts';
import type { PolicyTier } from '../../core/registry/schema.ts';
import type { GpuRequest } from '../../core/gpu.ts';

export interface WizardContext {
  env: Record<string, string | undefined>;
  prompter: Prompter;
  knownPresets: { name: string; description: string }[];
  tierPresets: Record<string, string[]>;
  gpuDetected: boolean;
  defaults: { dashboardPort: number; gatewayPort: number };
  defaultAgent: 'openclaw' | 'hermes';
  info(text: string): void;
  /** Receives the API key typed at the prompt: it stays in memory, never in the intent. */
  onKey?(key: string): void;
  /** The model ids an OpenAI-style endpoint lists (`GET <base>/models`); [] when it lists none. */
  listModels?(baseUrl: string, apiKey: string | undefined): Promise<string[]>;
  /**
   * One real request with the key just typed: why the provider rejected the key, or undefined when
   * it did not (any other failure is left to the provider step, which explains it).
   */
  checkKey?(c: {
    provider: ProviderKey;
    endpointUrl: string | undefined;
    model: string;
    key: string;
  }): Promise<{ reason: string; fix?: string } | undefined>;
}

const validateModel = (v: string): string | true =>
  MODEL_RE.test(v.trim()) ? true : 'Letters, digits and . _ : / - only.';

export function validateKey(v: string): string | true {
  return v.trim().length >= 8 ? true : 'That is too short to be an API key.';
}

export const THIRD_PARTY_NOTICE =
  'nemoclaw installs and runs third-party software in the sandbox: the agent (OpenClaw or Hermes) and OpenShell, each under its own licence, and sends prompts to the inference provider you choose.';

export function validateName(v: string): string | true {
  const name = v.trim().toLowerCase();
  const problem = sandboxNameProblem(name);
  if (!problem) return true;
  const s = suggestSandboxName(v);
  return `Invalid name: ${problem}.${s ? ` Try: ${s}` : ''}`;
}

/**
 * The key prompt, and right after it one real request with it: a rejected key gets the retry menu
 * of the provider step (re-enter it, retry, go on anyway, quit) before any other question.
 */
async function askKey(
  p: Prompter,
  w: WizardContext,
  spec: NonNullable<ReturnType<typeof findProvider>>,
  endpointUrl: string | undefined,
  modelGiven: string | undefined,
): Promise<string> {
  const message = `${spec.label} API key (${spec.userEnv})`;
  const ask = async () => {
    const k = (await p.password(message, { validate: validateKey })).trim().replace(/\r/g, '');
    w.onKey?.(k); // registered as a secret before it goes anywhere
    return k;
  };
  let key = await ask();
  for (;;) {
    const model = modelGiven?.trim() || spec.defaultModel;
    const rejected =
      w.checkKey && model
        ? await w
            .checkKey({ provider: spec.key, endpointUrl: endpointUrl?.trim(), model, key })
            .catch(() => undefined)
        : undefined;
    if (!rejected) return key;
    w.info(`✗ ${rejected.reason}`);
    if (rejected.fix) w.info(`  ${rejected.fix}`);
    const move = await p.select(
      'What would you like to do?',
      [
        { value: 'key', name: 'Re-enter the API key' },
        { value: 'retry', name: 'Retry' },
        { value: 'continue', name: 'Continue anyway (the provider step checks it again)' },
        { value: 'quit', name: 'Quit' },
      ],
      'key',
    );
    if (move === 'continue') return key;
    if (move === 'quit')
      throw new UserError('Onboarding stopped: the API key was rejected.', {
        kind: 'canceled',
        hint: `Run nemoclaw onboard again with a valid key (or set ${spec.userEnv}).`,
      });
    if (move === 'key') key = await ask();
  }
}

export async function runWizard(flags: OnboardFlags, w: WizardContext): Promise<OnboardIntent> {
  const env = w.env;
  const p = w.prompter;
  const pick = (flag: string | undefined, name: string) => flag ?? env[name];

  const accepted =
    Boolean(flags.yesIAcceptThirdPartySoftware) ||
    /^(1|true|yes)$/i.test(env.NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE ?? '');
  if (!accepted) {
    w.info(THIRD_PARTY_NOTICE);
    if (!(await p.confirm('Do you accept and want to continue?', false))) {
      throw new UserError('Onboarding needs the third-party software notice accepted.', {
        kind: 'canceled',
        hint: 'Run nemoclaw onboard again and accept, or pass --yes-i-accept-third-party-software.',
      });
    }
  }

  const agent =
    (pick(flags.agent, 'NEMOCLAW_AGENT') as 'openclaw' | 'hermes' | undefined) ??
    (await p.select<'openclaw' | 'hermes'>(
      'Agent',
      [
        { value: 'openclaw', name: 'OpenClaw (default)' },
        { value: 'hermes', name: 'Hermes' },
      ],
      w.defaultAgent,
    ));

  const experimental = env.NEMOCLAW_EXPERIMENTAL === '1';
  const providerGiven = pick(flags.provider, 'NEMOCLAW_PROVIDER');
  const provider: ProviderKey =
    (providerGiven && findProvider(providerGiven)?.key) ||
    (await p.select(
      'Inference provider',
      availableProviders(experimental).map((x) => ({
        value: x.key,
        name: `${x.label}${x.userEnv && env[x.userEnv] ? `  (${x.userEnv} is set)` : ''}`,
      })),
      'build',
    ));
  const spec = findProvider(provider)!;

  let endpointUrl = pick(flags.endpointUrl, 'NEMOCLAW_ENDPOINT_URL');
  if (!endpointUrl && !spec.baseUrl) {
    endpointUrl = await p.input('Endpoint base URL (for example https://host/v1)', {
      validate: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? true : 'Enter an http(s) URL.'),
    });
  }

  // Asked with the other answers so that nothing runs before they are complete; hidden as typed.
  let key = spec.userEnv ? env[spec.userEnv]?.trim() || undefined : undefined;
  if (spec.userEnv && !key && w.onKey) {
    key = await askKey(p, w, spec, endpointUrl, pick(flags.model, 'NEMOCLAW_MODEL'));
    w.onKey(key);
  }

  let model = pick(flags.model, 'NEMOCLAW_MODEL') ?? '';
  if (!model && !spec.local) {
    // An endpoint that lists its models gets a list to search, still taking any typed name.
    const base = endpointUrl?.trim() || spec.baseUrl;
    const served =
      base && spec.api === 'openai' && w.listModels
        ? await w.listModels(base, key).catch(() => [])
        : [];
    model =
      served.length > 0
        ? await searchOrInput(p, 'Model (type to search)', {
            source: (t) =>
              modelChoices(served, t, {
                default: spec.defaultModel,
                valid: (v) => validateModel(v) === true,
              }),
            default: spec.defaultModel,
            validate: validateModel,
          })
        : await p.input('Model', { default: spec.defaultModel, validate: validateModel });
  }

  const nameGiven = pick(flags.name, 'NEMOCLAW_SANDBOX_NAME');
  const sandboxName =
    nameGiven && validateName(nameGiven) === true
      ? nameGiven
      : (
          await p.input('Sandbox name (lowercase, numbers, hyphens)', {
            default: DEFAULT_SANDBOX_NAME,
            validate: validateName,
            // Checked as it is typed, against OpenShell's rules (at most 19, a DNS-1123 label).
            liveHint: (v) => sandboxNameProblem(v.trim().toLowerCase()),
          })
        )
          .trim()
          .toLowerCase();

  const tierGiven = pick(flags.policyTier, 'NEMOCLAW_POLICY_TIER') as PolicyTier | undefined;
  const policyTier =
    tierGiven ??
    (await p.select<PolicyTier>(
      'Network policy tier',
      [
        {
          value: 'restricted',
          name: 'restricted — no presets: the agent reaches only inference.local',
        },
        { value: 'balanced', name: `balanced — ${w.tierPresets.balanced?.join(', ')}` },
        { value: 'open', name: `open — ${w.tierPresets.open?.join(', ')}` },
      ],
      'balanced',
    ));

  const presetsGiven = pick(flags.policyPresets, 'NEMOCLAW_POLICY_PRESETS');
  const inTier = new Set(w.tierPresets[policyTier] ?? []);
  const extraPresets =
    presetsGiven !== undefined
      ? presetsGiven
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : await p.checkbox(
          'Extra presets (space to select, enter to continue)',
          w.knownPresets
            .filter((x) => !inTier.has(x.name))
            .map((x) => ({ value: x.name, name: `${x.name} — ${x.description}` })),
        );

  let gpu: GpuRequest = { mode: 'auto' };
  if (flags.gpu === false || env.NEMOCLAW_GPU === '0') gpu = { mode: 'off' };
  else if (flags.gpu === true || flags.gpuCount)
    gpu = { mode: 'on', count: flags.gpuCount ? Number(flags.gpuCount) : undefined };
  else if (w.gpuDetected && !env.NEMOCLAW_GPU) {
    gpu = (await p.confirm('An NVIDIA GPU was found. Pass it through to the sandbox?', true))
      ? { mode: 'on' }
      : { mode: 'off' };
  }

  return {
    agent,
    provider,
    model: model.trim(),
    endpointUrl: endpointUrl?.trim() || undefined,
    sandboxName,
    policyTier,
    extraPresets,
    gpu,
    dashboardPort: Number(
      pick(flags.dashboardPort, 'NEMOCLAW_DASHBOARD_PORT') ?? w.defaults.dashboardPort,
    ),
    gatewayPort: Number(pick(flags.gatewayPort, 'NEMOCLAW_GATEWAY_PORT') ?? w.defaults.gatewayPort),
    gatewayUrl: pick(flags.gatewayUrl, 'NEMOCLAW_GATEWAY_URL') || undefined,
    imageRegistry: pick(flags.imageRegistry, 'NEMOCLAW_IMAGE_REGISTRY')?.trim() || undefined,
    recreate: Boolean(flags.recreateSandbox) || env.NEMOCLAW_RECREATE_SANDBOX === '1',
    acceptThirdParty: true,
    blueprint: flags.blueprint ?? env.NEMOCLAW_BLUEPRINT,
    blueprintSha256: flags.blueprintSha256 ?? env.NEMOCLAW_BLUEPRINT_SHA256,
    fromDockerfile: flags.from ?? env.NEMOCLAW_FROM_DOCKERFILE,
  };
}
