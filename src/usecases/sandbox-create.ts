/**
 * Creating a sandbox from nemoclaw's image with its recorded policy, and waiting until OpenShell
 * reports it Ready. Shared by onboarding and rebuild.
 */
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Context } from '../context.ts';
import type { Blueprint } from '../core/blueprint/schema.ts';
import { NemoclawError } from '../core/errors.ts';
import type { Agent, SandboxEntry } from '../core/registry/schema.ts';
import type { World } from '../world.ts';

const READY_TIMEOUT_MS = 300_000;

/** What each way of failing to become Ready tells the user to do; callers know their next step. */
export interface ReadyHints {
  missing: string;
  error: string;
  timeout: string;
}

export interface WaitReadyOptions {
  timeoutMs: number;
  hints: ReadyHints;
  sleep?: (ms: number) => Promise<void>;
  /** Called when the phase the wait sees changes. */
  onWaiting?: (phase: string) => void;
}

/** Polls the phase until Ready; Error, Unknown or a missing sandbox end the wait at once. */
export async function waitReady(
  openshell: Pick<OpenshellClient, 'sandboxGet'>,
  name: string,
  o: WaitReadyOptions,
): Promise<void> {
  const until = Date.now() + o.timeoutMs;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let announced: string | undefined;
  for (;;) {
    const sb = await openshell.sandboxGet(name);
    if (!sb) {
      throw new NemoclawError('not-found', `OpenShell has no sandbox named ${name}.`, {
        hint: o.hints.missing,
      });
    }
    if (sb.phase === 'Ready') return;
    if (sb.phase === 'Error' || sb.phase === 'Unknown') {
      throw new NemoclawError('failed', `Sandbox ${name} is in phase ${sb.phase}.`, {
        hint: o.hints.error,
      });
    }
    if (Date.now() >= until) {
      throw new NemoclawError(
        'timeout',
        `Sandbox ${name} did not become Ready within ${Math.round(o.timeoutMs / 1000)} s (phase: ${sb.phase}).`,
        { hint: o.hints.timeout },
      );
    }
    if (announced !== sb.phase) o.onWaiting?.(sb.phase);
    announced = sb.phase;
    await sleep(1000);
  }
}

/** The wait after a create (onboarding, rebuild): NEMOCLAW_SANDBOX_READY_TIMEOUT_MS, default 300 s. */
export function waitCreated(
  ctx: Context,
  openshell: Pick<OpenshellClient, 'sandboxGet'>,
  name: string,
  next: string,
): Promise<void> {
  return waitReady(openshell, name, {
    timeoutMs: Number(ctx.env.NEMOCLAW_SANDBOX_READY_TIMEOUT_MS ?? READY_TIMEOUT_MS),
    hints: {
      missing: next,
      error: `See why with: nemoclaw ${name} logs; then ${next}`,
      timeout: `${next} (NEMOCLAW_SANDBOX_READY_TIMEOUT_MS sets how long to wait)`,
    },
  });
}

export interface CreateSandboxInput {
  name: string;
  image: string;
  agent: Agent;
  blueprint: Blueprint;
  presets: string[];
  customPolicies: SandboxEntry['customPolicies'];
  providers: string[];
  gpu?: { enabled: boolean; count?: number };
  /** CPU and memory limits (a blueprint profile's); undefined: OpenShell's defaults. */
  resources?: { cpu?: string; memory?: string };
  /** Environment the agent's manifest asks for (where its config and state live). */
  agentEnv?: Record<string, string>;
  /**
   * The dashboard port chosen for this sandbox. `openshell forward start [bind:]port` forwards the
   * host port to the *same* port inside the sandbox (v0.0.111 `crates/openshell-core/src/forward.rs`,
   * `ForwardSpec::ssh_forward_arg`), so the agent inside must listen on this port too.
   */
  dashboardPort: number;
}

/** `openshell sandbox create` with the composed policy (baseline + presets + custom) in a 0600 file. */
export async function createSandbox(
  world: Pick<World, 'presets' | 'baseline' | 'files'>,
  openshell: OpenshellClient,
  i: CreateSandboxInput,
): Promise<void> {
  const { creationPolicy } = await import('./policy-restore.ts');
  const { withPolicyFile } = await world.files();
  const policy = await creationPolicy(world, {
    agent: i.agent,
    presets: i.presets,
    customPolicies: i.customPolicies,
  });
  const agentSpec = i.blueprint.agents[i.agent];
  await withPolicyFile(policy, (policyFile) =>
    openshell.sandboxCreate({
      name: i.name,
      from: i.image,
      policyFile,
      providers: i.providers,
      gpu: i.gpu?.enabled ? (i.gpu.count ?? true) : undefined,
      autoProviders: false,
      env: {
        ...i.agentEnv,
        NEMOCLAW_AGENT: i.agent,
        NEMOCLAW_DASHBOARD_PORT: String(i.dashboardPort),
      },
      labels: { 'ai.nvidia.nemoclaw.managed-by': 'nemoclaw', 'ai.nvidia.nemoclaw.agent': i.agent },
      command: agentSpec.start_command,
      // A profile's limits, else the blueprint's, in the CLI's own syntax (`--cpu 2`, `--memory 4Gi`).
      cpu: i.resources?.cpu ?? i.blueprint.resources.cpu,
      memory: i.resources?.memory ?? i.blueprint.resources.memory,
    }),
  );
}
