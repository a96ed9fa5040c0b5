/**
 * `nemoclaw onboard` (product.md §8): one lock, a session that records every answer and step, the
 * eight steps in order, and on failure the step, the cause, the fix and the resume command.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Context } from '../../context.ts';
import { UsageError } from '../../core/errors.ts';
import type { OnboardIntent } from '../../core/onboard/intent.ts';
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
import type { Progress } from '../../adapters/terminal/progress.ts';
import type { Prompter } from '../../adapters/terminal/prompt.ts';
import { applyCorrections, decideIntent, settleDashboardPort } from './answers.ts';
import { stepFailure } from './failure.ts';
import { onboardPlan, type PlanFacts } from './plan.ts';
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
import type { OnboardDeps, OnboardOptions, StepEnv } from './types.ts';
import { warnLost } from '../unobserved.ts';

export type { OnboardOptions };

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

/** Whether a step runs: those not done yet, and the blueprint always (verified before every use).
 * The runner and `--dry-run` both ask this. */
export function willRun(session: Session | undefined, id: StepId): boolean {
  return id === 'blueprint' || session?.steps[id]?.status !== 'complete';
}

/** What the steps would resolve, computed as they do (a URL blueprint is not fetched by a dry run). */
async function planFacts(
  ctx: Context,
  deps: Pick<OnboardDeps, 'blueprints'>,
  intent: OnboardIntent,
): Promise<PlanFacts | undefined> {
  if (intent.blueprint && /^[a-z]+:\/\//i.test(intent.blueprint)) return undefined;
  const { resolveBlueprint, verifyOrThrow } = await deps.blueprints();
  const { sandboxImageRef } = await import('../sandbox-image.ts');
  const { profileResources } = await import('../../core/blueprint/profiles.ts');
  const bp = await resolveBlueprint({
    packageRoot: ctx.packageRoot,
    home: ctx.paths.home,
    spec: intent.blueprint,
  });
  const digest = (await verifyOrThrow(bp)).actual;
  return {
    blueprintVersion: bp.version,
    blueprintDigest: digest,
    image: intent.fromDockerfile
      ? undefined
      : sandboxImageRef(ctx.env, { blueprint: bp, blueprintDigest: digest, agent: intent.agent })
          .tag,
    resources: profileResources(bp.blueprint, intent.profile),
    command: bp.blueprint.agents[intent.agent].start_command,
  };
}

function sessionSpec(ctx: Context) {
  return {
    path: ctx.paths.onboardSession,
    what: 'the onboarding session',
    schema: SessionSchema as never,
    schemaVersion: SESSION_SCHEMA_VERSION,
    empty: () => undefined as unknown as Session,
  };
}

async function loadSession(
  ctx: Context,
  deps: Pick<OnboardDeps, 'files'>,
): Promise<Session | undefined> {
  const { readJsonFile } = await deps.files();
  return (await readJsonFile<Session>(sessionSpec(ctx))) ?? undefined;
}

async function saveSession(
  ctx: Context,
  deps: Pick<OnboardDeps, 'files'>,
  s: Session,
): Promise<void> {
  const { writeJsonFile } = await deps.files();
  const { sessionForDisk } = await import('./url-credential.ts');
  s.updatedAt = ctx.now().toISOString();
  await writeJsonFile<Session>(sessionSpec(ctx), sessionForDisk(s));
}

/** A prompter that stops the spinner before each question, so the two never share a line. */
function pausing(p: Prompter, progress: Progress): Prompter {
  return {
    select: (...a) => (progress.pause(), p.select(...a)),
    input: (...a) => (progress.pause(), p.input(...a)),
    password: (...a) => (progress.pause(), p.password(...a)),
    confirm: (...a) => (progress.pause(), p.confirm(...a)),
    checkbox: (...a) => (progress.pause(), p.checkbox(...a)),
    ...(p.search ? { search: (...a) => (progress.pause(), p.search!(...a)) } : {}),
  };
}

export async function onboard(ctx: Context, deps: OnboardDeps, o: OnboardOptions): Promise<number> {
  if (o.resume && o.fresh)
    throw new UsageError('--resume and --fresh cannot be used together.', { hint: 'Pick one.' });
  const { acquireLock } = await deps.files();
  const lock = o.dryRun
    ? undefined
    : await acquireLock(ctx.paths.onboardLock, {
        timeoutMs: 0,
        what: 'onboarding',
        command: 'nemoclaw onboard',
      });
  let endActivity: (() => void) | undefined;
  try {
    let session = await loadSession(ctx, deps);
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
    if (session && o.resume) {
      const { restoreEndpointCredential } = await import('./url-credential.ts');
      // A corrected provider or URL replaces the stored one (applyCorrections).
      if (o.endpointUrl === undefined && o.provider === undefined)
        restoreEndpointCredential(ctx, undefined, session);
      applyCorrections(ctx, o, session);
    }
    let apiKey: string | undefined;
    const intent = session
      ? session.intent
      : await settleDashboardPort(
          ctx,
          deps,
          o,
          await decideIntent(ctx, deps, o, (k) => {
            registerSecret(k);
            apiKey = k;
          }),
        );
    if (o.dryRun) {
      const facts = await planFacts(ctx, deps, intent);
      ctx.ui.out(formatPlan(onboardPlan(intent, (id) => willRun(session, id), facts)));
      return 0;
    }
    // Every state file the steps need is read and validated before the first change (issue 18
    // item 7): a damaged registry is named now, not after the gateway's route has changed.
    await ctx.registry().read();
    session ??= newSession(intent, ctx.now(), randomBytes(6).toString('hex'));
    await saveSession(ctx, deps, session);
    const progress = await deps.progress(ctx.ui, deps.progressStream ?? { write: () => true });
    const env: StepEnv = {
      ctx,
      deps: { ...deps, prompter: deps.prompter && pausing(deps.prompter, progress) },
      session,
      intent: session.intent,
      progress,
      save: () => saveSession(ctx, deps, session!),
      apiKey,
    };
    const total = ONBOARD_STEPS.length;
    const began = Date.now();
    let current = '';
    endActivity = (await deps.interrupts()).noteActivity(
      () => `onboarding ${session!.intent.sandboxName}${current ? ` (at ${current})` : ''}`,
      'Nothing is lost: continue with `nemoclaw onboard --resume`.',
    );
    for (const [i, step] of ONBOARD_STEPS.entries()) {
      current = `step ${i + 1}/${total}, ${step.title}`;
      if (!willRun(session, step.id)) {
        progress.start(i + 1, total, step.title);
        progress.skip('done in an earlier run');
        continue;
      }
      progress.start(i + 1, total, step.title);
      session.steps[step.id] = { status: 'in_progress', at: ctx.now().toISOString() };
      await saveSession(ctx, deps, session);
      try {
        const what = await RUNNERS[step.id](env);
        session.steps[step.id] = { status: 'complete', at: ctx.now().toISOString() };
        session.failure = undefined;
        await saveSession(ctx, deps, session);
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
        await saveSession(ctx, deps, session).catch((se: unknown) =>
          warnLost(
            ctx,
            {
              id: 'onboard.session-write',
              what: `record the failed step in the onboarding session (${ctx.paths.onboardSession})`,
              consequence: `\`nemoclaw onboard --resume\` will not know that ${step.id} failed`,
            },
            se,
          ),
        );
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
    ctx.ui.out(await renderSummary(ctx, session, { tookMs: Date.now() - began }));
    return 0;
  } finally {
    endActivity?.();
    await lock?.release();
  }
}
