/**
 * Host posture for `<name> status` (issue 20): whether the machine that runs the sandbox can enforce
 * the policy's filesystem rules. Doctor gets the same check through preflight.
 */
import type { Part } from '../core/ops/status.ts';
import { landlockCheck } from '../core/posture.ts';
import { cgroupVersion } from '../core/preflight.ts';
import type { OpsDeps } from './ops-deps.ts';

export async function enforcementPart(deps: OpsDeps, remote: boolean): Promise<Part> {
  if (remote)
    return { state: 'ok', summary: 'enforced by the remote gateway (not observable here)' };
  try {
    const { engineFacts, engineIsLocal } = await import('../adapters/docker/engine.ts');
    const { hostLsmList } = await import('../adapters/host/resources.ts');
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
