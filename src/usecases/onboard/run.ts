/**
 * `nemoclaw onboard` (product.md §8): one lock, a session that records every answer and step, the
 * eight steps in order, and on failure the step, the cause, the fix and the resume command.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Context } from '../../context.ts';
import { UsageError } from '../../core/errors.ts';
import {
  formatProblems,
  resolveIntent,
  type OnboardFlags,
  type OnboardIntent,
} from '../../core/onboard/intent.ts';
import { formatPlan } from '../../core/plan.ts';
import { registerSecret } from '../../core/redact.ts';
import {
  ONBOARD_STEPS,
  SESSION_SCHEMA_VERSION,
  SessionSchema,
  isComplete,
  newSession,
  type Session,
  type StepId,
} from '../../core/onboard/session.ts';
import { createProgress, type Progress } from '../../adapters/terminal/progress.ts';
import type { Prompter } from '../../adapters/terminal/prompt.ts';
import { stepFailure } from './failure.ts';
import { onboardPlan } from './plan.ts';
import { providerStep } from './provider.ts';
import {
  blueprintStep,
  forwardStep,
  gatewayStep,
  imageStep,
  policyStep,
  preflightStep,
  sandboxStep,
} from './steps.ts';
import { renderSummary } from './summary.ts';
import type { OnboardDeps, StepEnv } from './types.ts';

export interface OnboardOptions extends OnboardFlags {
  resume?: boolean;
  fresh?: boolean;
  dryRun?: boolean;
  nonInteractive?: boolean;
}

const RUNNERS: Record<StepId, (s: StepEnv) => Promise<string>> = {
  preflight: preflightStep,
  blueprint: blueprintStep,
  gateway: gatewayStep,
  provider: providerStep,
  image: imageStep,
  sandbox: sandboxStep,
  policy: policyStep,
  forward: forwardStep,
};

function sessionSpec(ctx: Context) {
  return {
    path: ctx.paths.onboardSession,
    what: 'the onboarding session',
    schema: SessionSchema as never,
    schemaVersion: SESSION_SCHEMA_VERSION,
    empty: () => undefined as unknown as Session,
  };
}

async function loadSession(ctx: Context): Promise<Session | undefined> {
  const { readJsonFile } = await import('../../adapters/state/json-file.ts');
  return (await readJsonFile<Session>(sessionSpec(ctx))) ?? undefined;
}

async function saveSession(ctx: Context, s: Session): Promise<void> {
  const { writeJsonFile } = await import('../../adapters/state/json-file.ts');
  s.updatedAt = ctx.now().toISOString();
  await writeJsonFile<Session>(sessionSpec(ctx), s);
}

async function knownPresets(ctx: Context): Promise<{ name: string; description: string }[]> {
  const { loadPresets } = await import('../../adapters/policy/assets.ts');
  return (await loadPresets(ctx.packageRoot)).map((p) => ({
    name: p.name,
    description: p.description,
  }));
}

async function decideIntent(
  ctx: Context,
  deps: OnboardDeps,
  o: OnboardOptions,
  onKey: (key: string) => void,
): Promise<OnboardIntent> {
  const { resolveBlueprint } = await import('../../adapters/blueprint/resolve.ts');
  const presets = await knownPresets(ctx);
  const bp = await resolveBlueprint({
    packageRoot: ctx.packageRoot,
    home: ctx.paths.home,
    spec: o.blueprint ?? ctx.env.NEMOCLAW_BLUEPRINT,
    sha256: o.blueprintSha256 ?? ctx.env.NEMOCLAW_BLUEPRINT_SHA256,
  });
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
  const { loadTiers } = await import('../../adapters/policy/assets.ts');
  const { expandTier } = await import('../../core/policy/presets.ts');
  const tiers = await loadTiers(ctx.packageRoot);
  const { detectGpu } = await import('../gpu.ts');
  const gpus = await detectGpu({ env: ctx.env }).catch(() => undefined);
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
  });
}

/**
 * When the user did not choose a dashboard port, each sandbox gets its own: its recorded one, or
 * the first free port from the default up (user-pain-points 4: a second onboarding must not fail
 * on the first one's port). A chosen port is kept as given; preflight reports it if busy.
 */
async function settleDashboardPort(
  ctx: Context,
  o: OnboardOptions,
  intent: OnboardIntent,
): Promise<OnboardIntent> {
  if (o.dashboardPort !== undefined || ctx.env.NEMOCLAW_DASHBOARD_PORT?.trim()) return intent;
  const { chooseDashboardPort, DASHBOARD_PORT_SPAN } = await import('../../core/ports.ts');
  const { probePort } = await import('../../adapters/host/ports.ts');
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
function applyCorrections(ctx: Context, o: OnboardOptions, session: Session): void {
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

/** A prompter that stops the spinner before each question, so the two never share a line. */
function pausing(p: Prompter, progress: Progress): Prompter {
  return {
    select: (...a) => (progress.pause(), p.select(...a)),
    input: (...a) => (progress.pause(), p.input(...a)),
    password: (...a) => (progress.pause(), p.password(...a)),
    confirm: (...a) => (progress.pause(), p.confirm(...a)),
    checkbox: (...a) => (progress.pause(), p.checkbox(...a)),
  };
}

export async function onboard(ctx: Context, deps: OnboardDeps, o: OnboardOptions): Promise<number> {
  if (o.resume && o.fresh)
    throw new UsageError('--resume and --fresh cannot be used together.', { hint: 'Pick one.' });
  const { acquireLock } = await import('../../adapters/state/lock.ts');
  const lock = o.dryRun
    ? undefined
    : await acquireLock(ctx.paths.onboardLock, {
        timeoutMs: 0,
        what: 'onboarding',
        command: 'nemoclaw onboard',
      });
  try {
    let session = await loadSession(ctx);
    if (o.fresh && session) {
      // A dry run changes nothing, the unfinished session included.
      if (!o.dryRun) await rm(ctx.paths.onboardSession, { force: true });
      session = undefined;
    }
    if (o.resume && !session) {
      throw new UsageError('There is no onboarding to resume.', {
        hint: 'Start one with: nemoclaw onboard',
      });
    }
    if (session && !o.resume && !isComplete(session)) {
      const cont = deps.prompter
        ? await deps.prompter.select(
            `An unfinished onboarding of "${session.intent.sandboxName}" exists (stopped at ${session.failure?.step ?? 'an earlier step'}).`,
            [
              { value: 'resume', name: 'Resume it with the same answers' },
              { value: 'fresh', name: 'Start over with new answers' },
            ],
            'resume',
          )
        : 'fresh';
      if (cont === 'fresh') {
        if (!deps.prompter)
          ctx.ui.info(
            `Starting a new onboarding (the unfinished one of "${session.intent.sandboxName}" is replaced; use --resume to continue it instead).`,
          );
        session = undefined;
      }
    }
    if (session && o.resume) applyCorrections(ctx, o, session);
    let apiKey: string | undefined;
    const intent = session
      ? session.intent
      : await settleDashboardPort(
          ctx,
          o,
          await decideIntent(ctx, deps, o, (k) => {
            registerSecret(k);
            apiKey = k;
          }),
        );
    if (o.dryRun) {
      ctx.ui.out(formatPlan(onboardPlan(intent, session)));
      return 0;
    }
    session ??= newSession(intent, ctx.now(), randomBytes(6).toString('hex'));
    await saveSession(ctx, session);
    const progress = createProgress(ctx.ui, deps.progressStream ?? { write: () => true });
    const env: StepEnv = {
      ctx,
      deps: { ...deps, prompter: deps.prompter && pausing(deps.prompter, progress) },
      session,
      intent: session.intent,
      progress,
      save: () => saveSession(ctx, session!),
      apiKey,
    };
    const total = ONBOARD_STEPS.length;
    for (const [i, step] of ONBOARD_STEPS.entries()) {
      const state = session.steps[step.id]!;
      if (state.status === 'complete' && step.id !== 'blueprint') {
        progress.start(i + 1, total, step.title);
        progress.skip('done in an earlier run');
        continue;
      }
      progress.start(i + 1, total, step.title);
      session.steps[step.id] = { status: 'in_progress', at: ctx.now().toISOString() };
      await saveSession(ctx, session);
      try {
        const what = await RUNNERS[step.id](env);
        session.steps[step.id] = { status: 'complete', at: ctx.now().toISOString() };
        session.failure = undefined;
        await saveSession(ctx, session);
        progress.done(what);
      } catch (e) {
        const { cause: err, error } = stepFailure(
          e,
          { id: step.id, n: i + 1, total, title: step.title },
          session.intent,
        );
        session.steps[step.id] = {
          status: 'failed',
          at: ctx.now().toISOString(),
          error: err.message,
        };
        session.failure = { step: step.id, message: err.message, hint: err.hint };
        await saveSession(ctx, session).catch(() => {});
        progress.fail(`[${i + 1}/${total}] ${step.title} failed.`);
        ctx.log.error(
          { step: step.id, kind: err.kind, err: err.message },
          'onboarding step failed',
        );
        throw error;
      }
    }
    session.completedAt = ctx.now().toISOString();
    await rm(ctx.paths.onboardSession, { force: true });
    ctx.ui.out(renderSummary(ctx, session));
    return 0;
  } finally {
    await lock?.release();
  }
}
