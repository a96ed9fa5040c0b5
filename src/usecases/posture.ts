/**
 * Host posture for `<name> status` (issue 20): whether the machine that runs the sandbox can enforce
 * the policy's filesystem rules. Doctor gets the same check through preflight.
 */
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Context } from '../context.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import type { Part } from '../core/ops/status.ts';
import { landlockCheck } from '../core/posture.ts';
import { cgroupVersion, type CheckResult } from '../core/preflight.ts';
import type { OpsWorld } from '../world.ts';

export async function enforcementPart(
  deps: Pick<OpsWorld, 'engine' | 'docker' | 'host'>,
  remote: boolean,
): Promise<Part> {
  if (remote)
    return { state: 'ok', summary: 'enforced by the remote gateway (not observable here)' };
  try {
    const { engineFacts, engineIsLocal } = await deps.docker();
    const { hostLsmList } = await deps.host();
    const engine = await deps.engine();
    const [facts, lsm] = await Promise.all([
      engineFacts(engine),
      engineIsLocal(engine) ? hostLsmList() : Promise.resolve(undefined),
    ]);
    const c = landlockCheck({ kernelRelease: facts.kernelVersion, lsm });
    // The memory limit and the OOM-kill report of the container part are exact only on cgroup v2.
    const cg = cgroupVersion(facts.cgroupVersion);
    const cgroupNote = cg.status === 'ok' ? 'cgroup v2' : cg.detail;
    return {
      state: c.status === 'ok' && cg.status === 'ok' ? 'ok' : 'warn',
      summary:
        c.status === 'ok'
          ? `Landlock filesystem rules: ${c.detail}; ${cgroupNote}`
          : `${c.detail} ${cgroupNote}`,
      landlock: c.status === 'ok',
      cgroup: facts.cgroupVersion ?? null,
      ...(c.fix || cg.fix ? { hint: c.fix ?? cg.fix } : {}),
    };
  } catch (e) {
    return {
      state: 'warn',
      summary: `cannot tell whether Landlock enforces the filesystem rules: ${(e as Error).message}`,
      landlock: null,
    };
  }
}

/** Doctor's registry-only posture findings: channel tokens that more than one sandbox holds. */
export async function registryPostureChecks(ctx: Context): Promise<CheckResult[]> {
  const { sharedTokenChecks } = await import('../core/ops/token-fingerprint.ts');
  const reg = await ctx
    .registry()
    .read()
    .catch(() => undefined);
  // An unreadable registry is doctor's state.registry finding already.
  return reg ? sharedTokenChecks(Object.values(reg.sandboxes)) : [];
}

/** How long the agent's audit may take inside the sandbox. */
const AUDIT_TIMEOUT_SECS = 60;

/**
 * Runs the agent's own security audit inside the sandbox, as the agent's user (`sandbox exec` runs
 * as the policy's process user), and turns its report into a part: critical fails, warnings warn.
 */
export async function agentAuditPart(client: OpenshellClient, entry: SandboxEntry): Promise<Part> {
  const { AUDIT_COMMANDS, auditLine, auditState, parseAuditReport, summariseAudit } =
    await import('../core/agent-audit.ts');
  const cmd = AUDIT_COMMANDS[entry.agent];
  if (!cmd) return { state: 'ok', summary: `${entry.agent} has no security audit to run` };
  let r: { exitCode: number; stdout: string; stderr: string };
  try {
    r = await client.sandboxExec(entry.name, cmd, { timeoutSecs: AUDIT_TIMEOUT_SECS });
  } catch (e) {
    return {
      state: 'unreachable',
      summary: `the agent's audit could not run: ${(e as Error).message}`,
      hint: `nemoclaw ${entry.name} status (is the sandbox Ready?)`,
    };
  }
  const parsed = parseAuditReport(r.stdout);
  if (!parsed.ok) {
    return {
      state: 'warn',
      summary: `the agent's audit (${cmd.join(' ')}) exited ${r.exitCode}: ${parsed.error}`,
    };
  }
  const s = summariseAudit(parsed.report, entry.name);
  const hostFixable = s.findings.filter((f) => f.changeFrom === 'host').length;
  return {
    state: auditState(s),
    summary: auditLine(s),
    critical: s.critical,
    warnings: s.warn,
    findings: s.findings,
    ...(s.findings.length > 0
      ? {
          hint: `${hostFixable} of ${s.findings.length} can be changed from the host (the config is image-time: change it, then nemoclaw ${entry.name} rebuild; an edit inside the sandbox is undone by the next rebuild)`,
        }
      : {}),
  };
}

/** Doctor's view of every registered sandbox's agent audit, run in parallel. */
export async function agentAuditChecks(
  ctx: Context,
  /** Each sandbox's own client (its gateway and workspace). */
  clientFor: (e: SandboxEntry) => Promise<OpenshellClient>,
): Promise<CheckResult[]> {
  const { AUDIT_COMMANDS } = await import('../core/agent-audit.ts');
  const reg = await ctx
    .registry()
    .read()
    .catch(() => undefined);
  const entries = Object.values(reg?.sandboxes ?? {}).filter((e) => AUDIT_COMMANDS[e.agent]);
  return Promise.all(
    entries.map(async (e): Promise<CheckResult> => {
      const p = await agentAuditPart(await clientFor(e), e);
      return {
        id: `agent.audit.${e.name}`,
        title: `Agent audit (${e.name})`,
        // A sandbox that is down is reported by the state checks; here it is only "not audited".
        status: p.state === 'ok' ? 'ok' : p.state === 'fail' ? 'fail' : 'warn',
        detail: p.summary,
        ...(p.hint ? { fix: `${p.hint}. Details: nemoclaw ${e.name} status --audit` } : {}),
      };
    }),
  );
}

/**
 * Drift that users cause by hand (issue 20): the agent's config inside the sandbox against the copy
 * the image was built with (core/agent-config installScript). An edit made inside the sandbox works
 * until the next rebuild, which undoes it; the durable way is the onboarding answer it came from.
 */
export async function configDriftPart(
  ctx: Context,
  world: Pick<OpsWorld, 'blueprints'>,
  client: OpenshellClient,
  entry: SandboxEntry,
): Promise<Part> {
  const { configDriftPart: interpret, configDriftProbeArgv } = await import('../core/ops/drift.ts');
  try {
    const { loadAgentManifest, resolveBlueprint } = await world.blueprints();
    const bp = await resolveBlueprint({
      packageRoot: ctx.packageRoot,
      home: ctx.paths.home,
      spec: entry.blueprintSource ?? entry.blueprintVersion,
      sha256: entry.blueprintSha256,
    });
    const m = await loadAgentManifest(bp.dir, bp.blueprint, entry.agent);
    const r = await client.sandboxExec(entry.name, configDriftProbeArgv(m.config_file), {
      timeoutSecs: 20,
    });
    return interpret(r.stdout, entry.name, m.config_file);
  } catch (e) {
    return {
      state: 'warn',
      summary: `cannot compare the agent's config with the image's: ${(e as Error).message}`,
      drift: null,
    };
  }
}
