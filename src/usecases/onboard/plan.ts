/** The plan `onboard --dry-run` prints: what each step would do, and why. Pure. */
import type { OnboardIntent } from '../../core/onboard/intent.ts';
import type { Plan, PlanStep } from '../../core/plan.ts';
import { findProvider } from '../../core/providers.ts';
import { ONBOARD_STEPS, type StepId } from '../../core/onboard/session.ts';

/** What the steps resolve before they act, computed by the functions they use. */
export interface PlanFacts {
  blueprintVersion: string;
  blueprintDigest: string;
  /** The content-addressed tag the image step builds or reuses (none for --from). */
  image?: string;
  resources?: { cpu: string; memory: string };
  command: string[];
}

export function onboardPlan(
  intent: OnboardIntent,
  willRun: (id: StepId) => boolean,
  facts?: PlanFacts,
): Plan {
  const spec = findProvider(intent.provider);
  const targets: Record<string, PlanStep> = {
    preflight: {
      kind: 'docker.host.preflight',
      target: 'this host',
      cause: 'stop a doomed onboarding before anything is created',
    },
    blueprint: {
      kind: 'file.blueprint.verify',
      target: facts
        ? `${facts.blueprintVersion} (${facts.blueprintDigest.slice(0, 19)}…)`
        : (intent.blueprint ?? 'packaged (newest)'),
      cause: 'verify the tree digest and the OpenShell version before use',
    },
    gateway: intent.gatewayUrl
      ? {
          kind: 'openshell.gateway.add',
          target: intent.gatewayUrl,
          cause: 'register the remote gateway',
        }
      : {
          kind: 'docker.gateway.ensure',
          target: `127.0.0.1:${intent.gatewayPort}`,
          cause: 'run or reuse the local OpenShell gateway container',
        },
    provider: {
      kind: 'openshell.provider.upsert',
      target: spec?.openshellName ?? intent.provider,
      cause: 'validate the key with one request, register it in the gateway, route inference.local',
      args: { model: intent.model || '(first served)', credential: spec?.userEnv ?? '(none)' },
    },
    image: {
      kind: 'docker.image.build',
      target: intent.fromDockerfile ?? facts?.image ?? `nemoclaw-sandbox-${intent.agent}`,
      cause: 'build the sandbox image, or reuse the content-addressed tag',
    },
    sandbox: {
      kind: 'openshell.sandbox.create',
      target: intent.sandboxName,
      cause: intent.recreate
        ? 'recreate the sandbox (snapshot first)'
        : 'create the sandbox, or reuse a Ready one',
      args: {
        agent: intent.agent,
        gpu: intent.gpu.mode,
        ...(intent.profile ? { profile: intent.profile } : {}),
        ...(facts?.resources ? { resources: facts.resources } : {}),
        ...(facts ? { command: facts.command.join(' ') } : {}),
      },
    },
    policy: {
      kind: 'openshell.policy.set',
      target: intent.sandboxName,
      cause: `apply tier ${intent.policyTier}${intent.extraPresets.length ? ` + ${intent.extraPresets.join(', ')}` : ''}`,
    },
    forward: {
      kind: 'openshell.forward.start',
      target: `127.0.0.1:${intent.dashboardPort}`,
      cause: 'forward the agent dashboard',
    },
  };
  return {
    title: `onboard ${intent.sandboxName}`,
    steps: ONBOARD_STEPS.filter((s) => willRun(s.id)).map((s) => targets[s.id]!),
  };
}
