/**
 * Preflight checks as values (product.md §8 step 1). Each evaluator turns observed facts into a
 * result with a status, a detail and, when something is wrong, the fix. Pure: the use case gathers
 * the facts in parallel and hands them here.
 */
import { NemoclawError } from './errors.ts';
import { TOOLKIT_INSTALL_HINT, type GpuDecision } from './gpu.ts';
import { compareVersions, formatVersion, inRange, parseVersion } from './version.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

const ok = (id: string, title: string, detail: string): CheckResult => ({
  id,
  title,
  status: 'ok',
  detail,
});
const warn = (id: string, title: string, detail: string, fix?: string): CheckResult => ({
  id,
  title,
  status: 'warn',
  detail,
  fix,
});
const fail = (id: string, title: string, detail: string, fix?: string): CheckResult => ({
  id,
  title,
  status: 'fail',
  detail,
  fix,
});

/** Any check that threw becomes a failure naming the check, never an unexplained crash. */
export function checkCrashed(id: string, title: string, e: unknown): CheckResult {
  const err = e as { message?: string; hint?: string };
  return fail(id, title, err?.message ?? String(e), err?.hint);
}

export function engineReachable(
  r: { ok: true; where: string } | { ok: false; error: NemoclawError },
): CheckResult {
  const title = 'Docker Engine reachable';
  if (r.ok) return ok('docker.engine', title, `answers at ${r.where}`);
  return fail('docker.engine', title, r.error.message, r.error.hint);
}

/** Below API 1.41 (Engine 20.10) the calls nemoclaw makes are missing; below the blueprint's minimum we only warn. */
export const MIN_API_VERSION = '1.41';

export function engineVersion(serverVersion: string, apiVersion: string, min: string): CheckResult {
  const id = 'docker.version';
  const title = 'Docker Engine version';
  const have = parseVersion(
    /^\d+\.\d+$/.test(serverVersion) ? `${serverVersion}.0` : serverVersion,
  );
  const [maj, minr] = apiVersion.split('.').map(Number);
  const [wantMaj, wantMin] = MIN_API_VERSION.split('.').map(Number);
  if (
    maj !== undefined &&
    minr !== undefined &&
    (maj < wantMaj! || (maj === wantMaj && minr < wantMin!))
  ) {
    return fail(
      id,
      title,
      `Engine ${serverVersion} (API ${apiVersion}) is too old: nemoclaw needs API ${MIN_API_VERSION} or newer.`,
      'Upgrade Docker: https://docs.docker.com/engine/install/',
    );
  }
  const minV = parseVersion(min);
  if (!have || !minV) return warn(id, title, `cannot read the Engine version "${serverVersion}"`);
  if (compareVersions(have, minV) < 0) {
    return warn(
      id,
      title,
      `Engine ${serverVersion} is older than the blueprint's tested minimum ${min}; it may work.`,
      `Upgrade Docker to ${min} or newer.`,
    );
  }
  return ok(id, title, `Engine ${serverVersion} (API ${apiVersion})`);
}

export function cgroupVersion(v: string | undefined): CheckResult {
  const id = 'docker.cgroup';
  const title = 'cgroup version';
  if (v === '2') return ok(id, title, 'cgroup v2');
  if (v === '1') {
    return warn(
      id,
      title,
      'cgroup v1: sandboxes run, but CPU and memory limits and OOM reporting are less precise than on v2.',
      'Boot with the unified hierarchy (systemd.unified_cgroup_hierarchy=1) when you can.',
    );
  }
  return warn(id, title, 'cannot tell the cgroup version');
}

const OOM_NOTE =
  'Image builds and the sandbox image push are memory-hungry; a step that dies with exit code 137 was killed by the kernel OOM killer.';

export function memory(
  f: { memTotalMb?: number; swapTotalMb?: number; source: string },
  minMb: number,
): CheckResult {
  const id = 'host.memory';
  const title = 'Memory';
  if (f.memTotalMb === undefined) return warn(id, title, `cannot read the memory of ${f.source}`);
  const swap = f.swapTotalMb ?? 0;
  const total = f.memTotalMb + swap;
  const have = `${f.memTotalMb} MiB RAM + ${swap} MiB swap (${f.source})`;
  if (total >= minMb) return ok(id, title, have);
  const fix = `Give ${f.source === 'Docker VM' ? 'the Docker VM (Colima, Docker Desktop)' : 'this host'} at least ${minMb} MiB of memory, or add swap (e.g. a 4 GiB swap file). ${OOM_NOTE}`;
  // Under half of the minimum the image work is all but certain to be OOM-killed.
  if (total < minMb / 2)
    return fail(id, title, `${have}: far below the ${minMb} MiB the blueprint needs.`, fix);
  return warn(id, title, `${have}: below the ${minMb} MiB the blueprint recommends.`, fix);
}

export function disk(f: { freeMb?: number; path: string }, minMb: number): CheckResult {
  const id = 'host.disk';
  const title = 'Free disk';
  if (f.freeMb === undefined) return warn(id, title, `cannot read free space at ${f.path}`);
  const have = `${(f.freeMb / 1024).toFixed(1)} GiB free at ${f.path}`;
  if (f.freeMb >= minMb) return ok(id, title, have);
  const fix = `Free space at ${f.path} (docker system prune, nemoclaw gc) so that at least ${Math.ceil(minMb / 1024)} GiB are free.`;
  if (f.freeMb < minMb / 4) return fail(id, title, `${have}: the sandbox image will not fit.`, fix);
  return warn(
    id,
    title,
    `${have}: below the ${Math.ceil(minMb / 1024)} GiB the blueprint recommends.`,
    fix,
  );
}

export interface PortFacts {
  port: number;
  role: 'gateway' | 'dashboard' | string;
  envVar: string;
  free: boolean;
  holder?: { pid: number; command: string };
  /** A container that publishes the port, when the Engine says so. */
  container?: { name: string; ours: boolean };
}

/** A taken port's check when the Engine could not say which container publishes it. */
export function portContainerUnknown(r: CheckResult, reason: string): CheckResult {
  if (r.status === 'ok') return r;
  return {
    ...r,
    detail: `${r.detail}; unknown whether a container publishes it (the Engine could not list containers: ${reason})`,
  };
}

export function port(f: PortFacts): CheckResult {
  const id = `port.${f.role}`;
  const title = `Port ${f.port} (${f.role})`;
  if (f.free) return ok(id, title, 'free');
  if (f.container?.ours)
    return ok(id, title, `held by nemoclaw's own container ${f.container.name}; it will be reused`);
  const who = f.container
    ? `container ${f.container.name}`
    : f.holder
      ? `process ${f.holder.pid} (${f.holder.command})`
      : 'another process (this host does not show which; try: sudo ss -ltnp)';
  const stop = f.container
    ? `docker stop ${f.container.name}`
    : f.holder
      ? `kill ${f.holder.pid}`
      : 'stop the program that uses it';
  if (f.role === 'dashboard' && /\bopenshell\b.*\bforward\b/.test(f.holder?.command ?? '')) {
    return warn(
      id,
      title,
      `in use by an OpenShell port forward: ${who}`,
      `If it is stale: openshell forward stop ${f.port}. Or choose another port with ${f.envVar}.`,
    );
  }
  return fail(
    id,
    title,
    `in use by ${who}`,
    `Free it (${stop}) or choose another port with ${f.envVar}=<port>.`,
  );
}

export function openshellVersion(
  r:
    | { ok: true; raw: string; version: string }
    | { ok: false; error: { message: string; hint?: string; kind?: string } },
  range: { min: string; max: string },
): CheckResult {
  const id = 'openshell.version';
  const title = 'OpenShell CLI';
  const want = range.min === range.max ? range.min : `${range.min}–${range.max}`;
  const install = `Install OpenShell ${range.max} (re-run install.sh, or set NEMOCLAW_OPENSHELL_BIN to its path).`;
  if (!r.ok) {
    const missing = r.error.kind === 'not-found';
    return fail(
      id,
      title,
      missing ? 'the openshell binary was not found' : r.error.message,
      r.error.hint ?? install,
    );
  }
  const v = parseVersion(r.version);
  const min = parseVersion(range.min);
  const max = parseVersion(range.max);
  if (!v || !min || !max)
    return fail(id, title, `cannot read the OpenShell version from "${r.raw}"`, install);
  if (!inRange(v, min, max)) {
    return fail(
      id,
      title,
      `openshell ${formatVersion(v)} is outside the range this blueprint supports (${want}).`,
      install,
    );
  }
  return ok(id, title, `openshell ${formatVersion(v)}`);
}

export function gpu(
  r:
    { ok: true; decision: GpuDecision; toolkitVia: string[] } | { ok: false; error: NemoclawError },
): CheckResult {
  const id = 'gpu';
  const title = 'GPU';
  if (!r.ok) return fail(id, title, r.error.message, r.error.hint);
  const d = r.decision;
  if (!d.enabled && /Toolkit is not set up/.test(d.reason)) {
    return warn(
      id,
      title,
      d.reason,
      // The steps themselves: this line is what `doctor` shows, so pointing at doctor would be a loop.
      TOOLKIT_INSTALL_HINT.replace(
        /\nOr run without a GPU: --no-gpu\.$/,
        '\nUntil then the sandbox runs without a GPU (--no-gpu silences this).',
      ),
    );
  }
  const via = d.enabled && r.toolkitVia.length > 0 ? ` (${r.toolkitVia.join('; ')})` : '';
  return ok(id, title, `${d.enabled ? 'enabled' : 'not used'}: ${d.reason}${via}`);
}

export function blockingFailures(results: CheckResult[]): CheckResult[] {
  return results.filter((r) => r.status === 'fail');
}

/** The error onboarding stops with: every blocking failure and its fix, nothing created yet. */
export function preflightError(results: CheckResult[]): NemoclawError | undefined {
  const failed = blockingFailures(results);
  if (failed.length === 0) return undefined;
  const lines = failed.map(
    (f) => `  ✗ ${f.title}: ${f.detail}${f.fix ? `\n    fix: ${f.fix}` : ''}`,
  );
  return new NemoclawError(
    'failed',
    `Preflight found ${failed.length} blocking problem(s); nothing was created.\n${lines.join('\n')}`,
    {
      hint: 'Fix the problems above, then run the command again (nemoclaw doctor re-runs every check).',
      detail: { failed: failed.map((f) => f.id) },
    },
  );
}
