/**
 * Creating a sandbox from nemoclaw's image with its recorded policy, and waiting until OpenShell
 * reports it Ready. Shared by onboarding and rebuild.
 */
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Context } from '../context.ts';
import type { Blueprint } from '../core/blueprint/schema.ts';
import { NemoclawError } from '../core/errors.ts';
import type { Agent, SandboxEntry } from '../core/registry/schema.ts';

const READY_TIMEOUT_MS = 300_000;

export async function waitReady(
  ctx: Context,
  openshell: Pick<OpenshellClient, 'sandboxGet'>,
  name: string,
  hint: string,
): Promise<void> {
  const limit = Number(ctx.env.NEMOCLAW_SANDBOX_READY_TIMEOUT_MS ?? READY_TIMEOUT_MS);
  const deadline = Date.now() + limit;
  for (;;) {
    const d = await openshell.sandboxGet(name);
    if (!d) {
      throw new NemoclawError('not-found', `Sandbox ${name} disappeared while it was starting.`, {
        hint,
      });
    }
    if (d.phase === 'Ready') return;
    if (['Error', 'Unknown'].includes(String(d.phase))) {
      throw new NemoclawError(
        'failed',
        `Sandbox ${name} went to phase ${d.phase} instead of Ready.`,
        {
          hint: `See why with: nemoclaw ${name} logs; then ${hint}`,
        },
      );
    }
    if (Date.now() > deadline) {
      throw new NemoclawError(
        'timeout',
        `Sandbox ${name} was not Ready within ${Math.round(limit / 1000)} s (phase ${d.phase}).`,
        {
          hint: `${hint} (NEMOCLAW_SANDBOX_READY_TIMEOUT_MS sets how long to wait)`,
        },
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
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
}

/** `openshell sandbox create` with the composed policy (baseline + presets + custom) in a 0600 file. */
export async function createSandbox(
  ctx: Context,
  openshell: OpenshellClient,
  i: CreateSandboxInput,
): Promise<void> {
  const { creationPolicy } = await import('./policy-restore.ts');
  const { withPolicyFile } = await import('../adapters/policy/tempfile.ts');
  const policy = await creationPolicy(
    ctx,
    {},
    { agent: i.agent, presets: i.presets, customPolicies: i.customPolicies },
  );
  const agentSpec = i.blueprint.agents[i.agent];
  await withPolicyFile(policy, (policyFile) =>
    openshell.sandboxCreate({
      name: i.name,
      from: i.image,
      policyFile,
      providers: i.providers,
      gpu: i.gpu?.enabled ? (i.gpu.count ?? true) : undefined,
      autoProviders: false,
      env: { NEMOCLAW_AGENT: i.agent, NEMOCLAW_DASHBOARD_PORT: String(agentSpec.dashboard_port) },
      labels: { 'ai.nvidia.nemoclaw.managed-by': 'nemoclaw', 'ai.nvidia.nemoclaw.agent': i.agent },
      command: agentSpec.start_command,
    }),
  );
}
