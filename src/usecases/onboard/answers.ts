/**
 * The answers of an onboarding: from the wizard or from flags and environment (validated all at
 * once), the dashboard port when none was chosen, and corrections given with `--resume`.
 */
import type { Context } from '../../context.ts';
import { UsageError } from '../../core/errors.ts';
import { formatProblems, resolveIntent, type OnboardIntent } from '../../core/onboard/intent.ts';
import type { Session } from '../../core/onboard/session.ts';
import type { Blueprint } from '../../core/blueprint/schema.ts';
import type { OnboardDeps, OnboardOptions } from './types.ts';
import { orWarn } from '../unobserved.ts';

async function knownPresets(
  deps: Pick<OnboardDeps, 'presets'>,
): Promise<{ name: string; description: string }[]> {
  return (await deps.presets()).map((p) => ({
    name: p.name,
    description: p.description,
  }));
}

export async function decideIntent(
  ctx: Context,
  deps: OnboardDeps,
  o: OnboardOptions,
  onKey: (key: string) => void,
): Promise<OnboardIntent> {
  const { resolveBlueprint } = await deps.blueprints();
  const presets = await knownPresets(deps);
  const bp = await resolveBlueprint({
    packageRoot: ctx.packageRoot,
    home: ctx.paths.home,
    spec: o.blueprint ?? ctx.env.NEMOCLAW_BLUEPRINT,
    sha256: o.blueprintSha256 ?? ctx.env.NEMOCLAW_BLUEPRINT_SHA256,
    dryRun: o.dryRun,
  });
  o = await withProfile(ctx, o, bp.blueprint);
  const agentDefault = (o.agent ?? ctx.env.NEMOCLAW_AGENT ?? ctx.defaultAgent) as
    'openclaw' | 'hermes';
  const defaults = {
    dashboardPort:
      bp.blueprint.agents[agentDefault === 'hermes' ? 'hermes' : 'openclaw'].dashboard_port,
    gatewayPort: 8080,
  };
  const r = resolveIntent(o, {
    env: ctx.env,
    knownPresets: presets.map((p) => p.name),
    experimental: ctx.env.NEMOCLAW_EXPERIMENTAL === '1',
    defaultAgent: ctx.defaultAgent,
    defaults: { ...defaults, sandboxName: 'my-assistant' },
  });
  if (deps.prompter) {
    // The wizard asks for what is missing, but what was given must be valid: it is not asked again.
    const given = r.problems.filter((p) => !p.missing);
    if (given.length > 0) {
      throw new UsageError(formatProblems(given), {
        hint: 'Correct or unset those flags and environment variables; nothing was changed.',
      });
    }
  } else {
    if (r.problems.length > 0) {
      throw new UsageError(`Cannot onboard without a terminal: ${formatProblems(r.problems)}`, {
        hint: 'Pass each answer as a flag or environment variable (nemoclaw onboard --help); nothing was changed.',
      });
    }
    return r.intent!;
  }
  const { runWizard } = await import('./wizard.ts');
  const { expandTier } = await import('../../core/policy/presets.ts');
  const tiers = await deps.tiers();
  const { detectGpu } = await import('../gpu.ts');
  const gpus = await orWarn(
    ctx,
    {
      id: 'host.gpu',
      what: 'detect NVIDIA GPUs',
      consequence: 'the wizard does not offer GPU passthrough',
    },
    detectGpu({ probe: await deps.gpuProbe(), env: ctx.env }),
    undefined,
  );
  return runWizard(o, {
    env: ctx.env,
    prompter: deps.prompter,
    knownPresets: presets,
    tierPresets: Object.fromEntries(
      (['restricted', 'balanced', 'open'] as const).map((t) => [t, expandTier(tiers, t)]),
    ),
    gpuDetected: Boolean(gpus && gpus.gpus.length > 0),
    defaults,
    defaultAgent: ctx.defaultAgent,
    info: (t) => ctx.ui.info(t),
    onKey,
    listModels: async (base, apiKey) => {
      const { listModels } = await deps.http();
      const { hostView } = await import('./provider.ts');
      const r = await listModels(hostView(base), { apiKey, fetchImpl: deps.fetchImpl });
      return 'ids' in r ? r.ids : [];
    },
    checkKey: async (c) => {
      const { probeProvider } = await deps.http();
      const { judgeProbe } = await import('../../core/onboard/probe-result.ts');
      const { findProvider } = await import('../../core/providers.ts');
      const { hostView } = await import('./provider.ts');
      const spec = findProvider(c.provider)!;
      const base = c.endpointUrl || spec.hostBaseUrl || spec.baseUrl;
      if (!base) return undefined;
      const outcome = await probeProvider({
        api: spec.api,
        baseUrl: hostView(base),
        model: c.model,
        apiKey: c.key,
        fetchImpl: deps.fetchImpl,
      });
      const v = judgeProbe(outcome, {
        provider: spec.label,
        model: c.model,
        keyEnv: spec.userEnv,
        url: hostView(base),
      });
      return !v.ok && v.next === 'key' ? { reason: v.reason, fix: v.fix } : undefined;
    },
  });
}

/**
 * When the user did not choose a dashboard port, each sandbox gets its own: its recorded one, or
 * the first free port from the default up (user-pain-points 4: a second onboarding must not fail
 * on the first one's port). A chosen port is kept as given; preflight reports it if busy.
 */
export async function settleDashboardPort(
  ctx: Context,
  deps: Pick<OnboardDeps, 'host'>,
  o: OnboardOptions,
  intent: OnboardIntent,
): Promise<OnboardIntent> {
  if (o.dashboardPort !== undefined || ctx.env.NEMOCLAW_DASHBOARD_PORT?.trim()) return intent;
  const { chooseDashboardPort, DASHBOARD_PORT_SPAN } = await import('../../core/ports.ts');
  const { probePort } = await deps.host();
  const reg = await ctx.registry().read();
  const own = reg.sandboxes[intent.sandboxName]?.dashboardPort;
  const others = Object.values(reg.sandboxes)
    .filter((e) => e.name !== intent.sandboxName)
    .map((e) => e.dashboardPort);
  const candidates = Array.from(
    { length: DASHBOARD_PORT_SPAN + 1 },
    (_, i) => intent.dashboardPort + i,
  );
  const probes = own === undefined ? await Promise.all(candidates.map((p) => probePort(p))) : [];
  const port = chooseDashboardPort({
    defaultPort: intent.dashboardPort,
    ownPort: own,
    recordedByOthers: others,
    busy: probes.filter((p) => !p.free).map((p) => p.port),
    avoid: intent.gatewayPort,
  });
  if (port === undefined || port === intent.dashboardPort) return intent;
  ctx.ui.info(
    own === undefined
      ? `Dashboard port ${intent.dashboardPort} is taken; using ${port} (set --dashboard-port to choose).`
      : `Keeping ${intent.sandboxName}'s dashboard port ${port}.`,
  );
  return { ...intent, dashboardPort: port };
}

/**
 * `--resume` keeps every answer, except the inference answers given again on its command line
 * (user-pain-points 11: a rejected model must not mean starting over). They can change only while
 * the sandbox is not created yet; afterwards `nemoclaw inference set` is the way.
 */
export function applyCorrections(ctx: Context, o: OnboardOptions, session: Session): void {
  const given = {
    provider: o.provider,
    model: o.model,
    endpointUrl: o.endpointUrl,
  };
  if (Object.values(given).every((v) => v === undefined)) return;
  if (session.steps.sandbox?.status === 'complete') {
    throw new UsageError(
      'The sandbox already exists; --resume cannot change its inference answers.',
      {
        hint: 'Resume without them, then change the route with: nemoclaw inference set --provider P --model M',
      },
    );
  }
  const r = resolveIntent(
    {
      provider: given.provider ?? session.intent.provider,
      model: given.model ?? (given.provider ? undefined : session.intent.model),
      endpointUrl: given.endpointUrl ?? (given.provider ? undefined : session.intent.endpointUrl),
      name: session.intent.sandboxName,
      agent: session.intent.agent,
      policyTier: session.intent.policyTier,
      yesIAcceptThirdPartySoftware: true,
    },
    {
      env: { ...ctx.env, NEMOCLAW_POLICY_PRESETS: undefined },
      knownPresets: [],
      experimental: ctx.env.NEMOCLAW_EXPERIMENTAL === '1',
      defaultAgent: session.intent.agent,
      defaults: {
        dashboardPort: session.intent.dashboardPort,
        gatewayPort: session.intent.gatewayPort,
        sandboxName: session.intent.sandboxName,
      },
    },
  );
  // Only the inference inputs matter here; a missing key is found again at the provider step.
  const relevant = r.problems.filter((p) => /provider|model|endpoint/i.test(p.input));
  if (relevant.length > 0)
    throw new UsageError(formatProblems(relevant), { hint: 'Nothing was changed.' });
  const next = r.intent ?? {
    ...session.intent,
    provider: (given.provider as OnboardIntent['provider']) ?? session.intent.provider,
    model: given.model ?? session.intent.model,
    endpointUrl: given.endpointUrl ?? session.intent.endpointUrl,
  };
  session.intent = {
    ...session.intent,
    provider: next.provider,
    model: next.model,
    endpointUrl: next.endpointUrl,
  };
  session.steps.provider = { status: 'pending' };
  ctx.ui.info(
    `Resuming with ${session.intent.model || '(the first model served)'} via ${session.intent.provider}.`,
  );
}

/**
 * `--profile NAME` (NEMOCLAW_PROFILE): must be one of the blueprint's profiles; without a provider
 * given, its inference profile picks the provider (the first one serving that inference profile).
 */
async function withProfile(
  ctx: Context,
  o: OnboardOptions,
  bp: Blueprint,
): Promise<OnboardOptions> {
  const name = (o.profile ?? ctx.env.NEMOCLAW_PROFILE)?.trim();
  if (!name) return o;
  const { findProfile, listProfiles } = await import('../../core/blueprint/profiles.ts');
  const p = findProfile(bp, name);
  if (!p) {
    throw new UsageError(`Blueprint ${bp.version} has no profile "${name}".`, {
      hint: `Profiles: ${listProfiles(bp)
        .map((x) => x.name)
        .join(', ')}. See: nemoclaw profiles list`,
    });
  }
  if (o.provider ?? ctx.env.NEMOCLAW_PROVIDER) return { ...o, profile: name };
  const { PROVIDERS } = await import('../../core/providers.ts');
  const provider = PROVIDERS.find((x) => x.profile === p.inference && !x.experimental)?.key;
  // The profile's model goes with the provider it picked; a model given by flag or env wins.
  const model = o.model ?? (ctx.env.NEMOCLAW_MODEL?.trim() ? undefined : p.model || undefined);
  return { ...o, profile: name, provider, ...(model ? { model } : {}) };
}
