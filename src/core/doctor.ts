/**
 * `nemoclaw doctor`, the state half (product.md §4): does what nemoclaw recorded agree with what
 * OpenShell and the Engine have? Each finding is a CheckResult with the command that fixes it, in
 * the same shape as the preflight checks, so the two lists print and serialise alike. Pure.
 */
import type { CheckResult } from './preflight.ts';
import { unobservedCheck, type Unobserved } from './unobserved.ts';

export interface DoctorObservation {
  registry:
    | {
        ok: true;
        path: string;
        sandboxes: { name: string; dashboardPort: number; remote: boolean }[];
      }
    | { ok: false; path: string; error: string };
  /** OpenShell's sandboxes on nemoclaw's gateway; an error when it could not be asked. */
  openshell:
    { ok: true; sandboxes: { name: string; phase: string }[] } | { ok: false; error: string };
  gateway: {
    mode: 'local' | 'remote' | 'none';
    containerName: string;
    /** undefined when the Engine has no such container (or was not asked). */
    container?: { running: boolean; status: string };
    engineAnswered: boolean;
    /** `openshell status`: connected, or why not. */
    status?: { connected: boolean; detail: string };
  };
  /** Containers OpenShell made for sandboxes (label openshell.ai/sandbox-name). */
  sandboxContainers: { name: string; sandbox: string; state: string }[];
  forwards?: { sandbox: string; port: number; status: string }[];
  /** Names of journal/<name>.json files, with the step they stopped at when readable. */
  journals: { sandbox: string; step?: string }[];
  onboardSession?: { sandbox?: string; step?: string };
  blueprints: {
    version: string;
    ok: boolean;
    expected?: string;
    actual: string;
    firstDifference?: string;
  }[];
  /** Registered sandboxes whose live policy lacks presets or custom policies the registry records. */
  policyDrift?: { sandbox: string; detail: string; fix: string }[];
  /** State files that cannot be read or fail their schema (journals, snapshot manifests). */
  damagedFiles?: { path: string; problem: string }[];
  /** Partial archives and working folders that killed snapshot creates or restores left. */
  snapshotLitter?: { path: string; bytes: number }[];
  /** Reads that failed: each becomes a warning check marked unknown, with the reason. */
  unobserved?: Unobserved[];
}

const r = (
  id: string,
  title: string,
  status: CheckResult['status'],
  detail: string,
  fix?: string,
): CheckResult => ({ id, title, status, detail, ...(fix ? { fix } : {}) });

export function stateChecks(o: DoctorObservation): CheckResult[] {
  const out: CheckResult[] = [];
  const reg = o.registry;
  if (!reg.ok) {
    out.push(
      r(
        'state.registry',
        'Sandbox registry',
        'fail',
        `${reg.path} cannot be read: ${reg.error}`,
        `Move it aside (mv ${reg.path} ${reg.path}.bad) and re-onboard, or restore it from a backup; nemoclaw never resets it.`,
      ),
    );
  } else {
    out.push(
      r(
        'state.registry',
        'Sandbox registry',
        'ok',
        `${reg.sandboxes.length} sandbox(es) registered`,
      ),
    );
  }
  const registered = reg.ok ? reg.sandboxes : [];
  const names = new Set(registered.map((s) => s.name));

  out.push(gatewayCheck(o, registered.length));

  if (!o.openshell.ok) {
    out.push(
      r(
        'state.openshell',
        'Registry vs OpenShell',
        registered.length > 0 ? 'fail' : 'warn',
        `cannot list OpenShell's sandboxes: ${o.openshell.error}`,
        'Bring the gateway back (nemoclaw <name> recover), then run nemoclaw doctor again.',
      ),
    );
  } else {
    const known = new Map(o.openshell.sandboxes.map((s) => [s.name, s.phase]));
    const missing = registered.filter((s) => !known.has(s.name)).map((s) => s.name);
    const orphans = [...known.keys()].filter((n) => !names.has(n)).sort();
    const notReady = registered.filter((s) => known.has(s.name) && known.get(s.name) !== 'Ready');
    if (missing.length === 0 && orphans.length === 0 && notReady.length === 0) {
      out.push(
        r(
          'state.openshell',
          'Registry vs OpenShell',
          'ok',
          `${registered.length} registered, all known to OpenShell and Ready`,
        ),
      );
    }
    for (const n of missing) {
      out.push(
        r(
          `state.missing.${n}`,
          `Sandbox ${n}`,
          'fail',
          'registered, but OpenShell has no such sandbox',
          `Recreate it with \`nemoclaw ${n} recover\`, or forget it with \`nemoclaw ${n} destroy --force\`.`,
        ),
      );
    }
    for (const s of notReady) {
      out.push(
        r(
          `state.phase.${s.name}`,
          `Sandbox ${s.name}`,
          'warn',
          `phase ${known.get(s.name)}, not Ready`,
          `See \`nemoclaw ${s.name} status\` and \`nemoclaw ${s.name} logs\`; \`nemoclaw ${s.name} recover\` restarts it.`,
        ),
      );
    }
    for (const n of orphans) {
      out.push(
        r(
          `state.orphan.${n}`,
          `Sandbox ${n}`,
          'warn',
          "exists on nemoclaw's gateway but is not registered",
          `Delete it (openshell sandbox delete -g nemoclaw ${n}) or onboard it again under that name (nemoclaw onboard --name ${n}).`,
        ),
      );
    }
  }

  // Containers OpenShell made whose sandbox neither side knows any more.
  const osNames = o.openshell.ok ? new Set(o.openshell.sandboxes.map((s) => s.name)) : undefined;
  for (const c of o.sandboxContainers) {
    if (names.has(c.sandbox) || osNames?.has(c.sandbox) || !osNames) continue;
    out.push(
      r(
        `state.container.${c.name}`,
        `Container ${c.name}`,
        'warn',
        `left behind by the sandbox ${c.sandbox}, which neither nemoclaw nor OpenShell knows (${c.state})`,
        `docker rm -f ${c.name}`,
      ),
    );
  }
  for (const s of registered.filter((x) => !x.remote)) {
    const c = o.sandboxContainers.find((x) => x.sandbox === s.name);
    if (c && c.state !== 'running') {
      out.push(
        r(
          `state.container.${c.name}`,
          `Sandbox ${s.name}`,
          'warn',
          `its container ${c.name} is ${c.state}`,
          `nemoclaw ${s.name} recover`,
        ),
      );
    }
  }

  if (o.forwards) {
    for (const f of o.forwards) {
      if (!names.has(f.sandbox)) {
        out.push(
          r(
            `state.forward.${f.port}`,
            `Forward ${f.port}`,
            'warn',
            `forwards to ${f.sandbox}, which is not registered`,
            `openshell forward stop -g nemoclaw ${f.port} ${f.sandbox}`,
          ),
        );
      } else if (f.status !== 'running') {
        out.push(
          r(
            `state.forward.${f.port}`,
            `Forward ${f.port}`,
            'warn',
            `the forward of ${f.sandbox} is ${f.status}`,
            `nemoclaw ${f.sandbox} recover (or: openshell forward stop -g nemoclaw ${f.port} ${f.sandbox})`,
          ),
        );
      }
    }
    for (const s of registered) {
      if (
        !o.forwards.some(
          (f) => f.sandbox === s.name && f.port === s.dashboardPort && f.status === 'running',
        )
      ) {
        out.push(
          r(
            `state.forward.${s.name}`,
            `Dashboard of ${s.name}`,
            'warn',
            `no running forward on port ${s.dashboardPort}`,
            `nemoclaw ${s.name} recover`,
          ),
        );
      }
    }
  }

  for (const j of o.journals) {
    out.push(
      r(
        `state.rebuild.${j.sandbox}`,
        `Rebuild of ${j.sandbox}`,
        'fail',
        `interrupted${j.step ? ` at step ${j.step}` : ''}; its pre-rebuild snapshot is kept`,
        `nemoclaw ${j.sandbox} rebuild --resume`,
      ),
    );
  }
  for (const f of o.damagedFiles ?? [])
    out.push(
      r(
        `state.damaged.${f.path}`,
        'Damaged state file',
        'fail',
        `${f.path}: ${f.problem}`,
        `it was left untouched; move it aside (mv ${f.path} ${f.path}.bad) or restore it`,
      ),
    );
  for (const d of o.policyDrift ?? [])
    out.push(r(`state.policy.${d.sandbox}`, `Policy of ${d.sandbox}`, 'fail', d.detail, d.fix));
  if (o.snapshotLitter && o.snapshotLitter.length > 0) {
    const bytes = o.snapshotLitter.reduce((n, l) => n + l.bytes, 0);
    out.push(
      r(
        'state.snapshot-litter',
        'Snapshot leftovers',
        'warn',
        `${o.snapshotLitter.length} partial file(s) of interrupted snapshots (${Math.ceil(bytes / 1024)} KiB): ${o.snapshotLitter
          .slice(0, 3)
          .map((l) => l.path)
          .join(', ')}${o.snapshotLitter.length > 3 ? ', …' : ''}`,
        'nemoclaw gc (the next snapshot create removes them, too)',
      ),
    );
  }
  if (o.onboardSession) {
    const s = o.onboardSession;
    out.push(
      r(
        'state.onboard',
        'Onboarding',
        'warn',
        `an onboarding${s.sandbox ? ` of ${s.sandbox}` : ''} did not finish${s.step ? ` (stopped at ${s.step})` : ''}`,
        'nemoclaw onboard --resume (or --fresh to start over)',
      ),
    );
  }

  for (const b of o.blueprints) {
    if (b.ok)
      out.push(
        r(
          `blueprint.${b.version}`,
          `Blueprint ${b.version}`,
          'ok',
          `verified ${b.actual.slice(0, 19)}…`,
        ),
      );
    else
      out.push(
        r(
          `blueprint.${b.version}`,
          `Blueprint ${b.version}`,
          'fail',
          `digest mismatch: expected ${b.expected}, actual ${b.actual}${b.firstDifference ? `; first difference: ${b.firstDifference}` : ''}`,
          'Reinstall nemoclaw (install.sh) to restore the packaged blueprint files.',
        ),
      );
  }
  for (const u of o.unobserved ?? []) out.push(unobservedCheck(u));
  return out;
}

function gatewayCheck(o: DoctorObservation, registered: number): CheckResult {
  const g = o.gateway;
  const title = 'OpenShell gateway';
  if (g.mode === 'remote') {
    if (g.status?.connected)
      return r('gateway', title, 'ok', `remote gateway answers: ${g.status.detail}`);
    return r(
      'gateway',
      title,
      registered > 0 ? 'fail' : 'warn',
      `remote gateway does not answer: ${g.status?.detail ?? 'unknown'}`,
      'Check that the remote OpenShell gateway runs and is reachable (see docs/remote-gateway.md).',
    );
  }
  if (!g.engineAnswered)
    return r(
      'gateway',
      title,
      registered > 0 ? 'fail' : 'warn',
      'cannot tell: the Docker Engine did not answer',
      'Start Docker (see the Docker Engine check).',
    );
  if (!g.container) {
    if (registered === 0)
      return r(
        'gateway',
        title,
        'ok',
        `no gateway container yet (${g.containerName}); onboard creates it`,
      );
    return r(
      'gateway',
      title,
      'fail',
      `the container ${g.containerName} does not exist, but sandboxes are registered`,
      'nemoclaw onboard recreates it (the state volume is kept); then nemoclaw <name> recover.',
    );
  }
  if (!g.container.running)
    return r(
      'gateway',
      title,
      'fail',
      `the container ${g.containerName} is ${g.container.status}`,
      `nemoclaw <name> recover (or: docker start ${g.containerName})`,
    );
  if (g.status && !g.status.connected)
    return r(
      'gateway',
      title,
      'fail',
      `the container runs but OpenShell cannot reach it: ${g.status.detail}`,
      `docker logs ${g.containerName}; then nemoclaw <name> recover`,
    );
  return r(
    'gateway',
    title,
    'ok',
    `${g.containerName} running${g.status ? `; ${g.status.detail}` : ''}`,
  );
}

export function summarise(results: CheckResult[]): { ok: number; warn: number; fail: number } {
  return {
    ok: results.filter((x) => x.status === 'ok').length,
    warn: results.filter((x) => x.status === 'warn').length,
    fail: results.filter((x) => x.status === 'fail').length,
  };
}

export function formatChecks(results: CheckResult[]): string[] {
  const mark = { ok: '✓', warn: '!', fail: '✗' } as const;
  const lines: string[] = [];
  for (const c of results) {
    lines.push(`${mark[c.status]} ${c.title}: ${c.detail}`);
    if (c.fix && c.status !== 'ok') lines.push(`    fix: ${c.fix}`);
  }
  return lines;
}
