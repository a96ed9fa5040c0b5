/**
 * `policy set|get|list` (cli/run.rs sandbox_policy_*). A revision is added only when the content
 * hash changes; static sections are checked against revision 1; `--wait` exits 0 when loaded or
 * superseded, 1 when the load failed, 124 on timeout. How a revision "loads" is a knob:
 * OPENSHELL_SIM_POLICY_LOAD=loaded|failed|pending, after OPENSHELL_SIM_POLICY_LOAD_DELAY_MS.
 */
import type { Parsed } from '../args.ts';
import { SimError, SimExit, err, json, out, pad, sleep } from '../io.ts';
import {
  checkLiveChange,
  loadPolicyFile,
  policyHash,
  policyYaml,
  validatePolicy,
} from '../policy.ts';
import type { PolicyRevisionRec, SandboxRec } from '../state.ts';
import { readState, server, update } from '../state.ts';
import { findSandbox, pushEvent, pushRevision, sandboxName, serverContext } from './common.ts';

type Status = 'Pending' | 'Loaded' | 'Failed' | 'Superseded';

/** Status of each revision now: the newest loaded one is active, older loaded ones superseded. */
export function revisionStatuses(revs: PolicyRevisionRec[], now = Date.now()): Map<number, Status> {
  const loadedNow = (r: PolicyRevisionRec) => now >= r.load_at_ms && r.outcome === 'loaded';
  const active = [...revs].reverse().find(loadedNow);
  const result = new Map<number, Status>();
  for (const r of revs) {
    if (active && r.version < active.version && r.outcome !== 'failed') {
      result.set(r.version, 'Superseded');
    } else if (now < r.load_at_ms || r.outcome === 'pending') result.set(r.version, 'Pending');
    else result.set(r.version, r.outcome === 'failed' ? 'Failed' : 'Loaded');
  }
  return result;
}

function noGlobal(p: Parsed): void {
  if (p.flags.global) throw new SimError('--global policies are not simulated');
}

export async function set(p: Parsed): Promise<void> {
  noGlobal(p);
  const { ctx, state, srv } = await serverContext(p);
  const name = sandboxName(p.positionals.name as string | undefined, state, ctx);
  findSandbox(srv, name);
  const { policy, raw } = loadPolicyFile(p.flags.policy as string);
  const hash = policyHash(policy);
  const outcome = (process.env.OPENSHELL_SIM_POLICY_LOAD ??
    'loaded') as PolicyRevisionRec['outcome'];
  const delay = Number(process.env.OPENSHELL_SIM_POLICY_LOAD_DELAY_MS ?? 0);
  const result = update((s) => {
    const rec = findSandbox(server(s, ctx.endpoint), name);
    validatePolicy(policy, raw);
    checkLiveChange(rec.policy_revisions[0]!.policy, policy);
    const rev = pushRevision(rec, policy, { delayMs: delay, outcome });
    if (rev.changed) {
      pushEvent(rec, `CONFIG:SUBMITTED policy version ${rev.version}`, { hash: hash.slice(0, 12) });
    }
    return rev;
  });
  if (!result.changed) {
    err(`· Policy unchanged (version ${result.version}, hash: ${hash.slice(0, 12)})`);
    return;
  }
  err(`✓ Policy version ${result.version} submitted (hash: ${hash.slice(0, 12)})`);
  if (!p.flags.wait) return;
  const deadline = Date.now() + Number(p.flags.timeout) * 1000;
  const poll = Number(process.env.OPENSHELL_SIM_POLL_MS ?? 200);
  for (;;) {
    if (Date.now() > deadline) {
      err(`✗ Timeout waiting for policy version ${result.version} to load`);
      throw new SimExit(124);
    }
    await sleep(poll);
    const rec = server(readState(), ctx.endpoint).sandboxes[name];
    if (!rec) throw new SimError(`sandbox '${name}' not found`);
    const statuses = revisionStatuses(rec.policy_revisions);
    const st = statuses.get(result.version);
    const active = [...statuses].filter(([, v]) => v === 'Loaded').at(-1)?.[0] ?? 0;
    if (st === 'Loaded' || st === 'Superseded') {
      const verb = st === 'Loaded' ? 'loaded' : 'was superseded';
      err(`✓ Policy version ${result.version} ${verb} (active version: ${active})`);
      return;
    }
    if (st === 'Failed') {
      const rev = rec.policy_revisions.find((r) => r.version === result.version)!;
      err(`✗ Policy version ${result.version} failed to load: ${rev.load_error}`);
      throw new SimExit(1);
    }
  }
}

function withoutProviderRules(policy: Record<string, unknown>): Record<string, unknown> {
  const np = policy.network_policies as Record<string, unknown> | undefined;
  if (!np) return policy;
  const kept = Object.fromEntries(Object.entries(np).filter(([k]) => !k.startsWith('_provider_')));
  return { ...policy, network_policies: kept };
}

export async function get(p: Parsed): Promise<void> {
  noGlobal(p);
  const { ctx, state, srv } = await serverContext(p);
  const rec: SandboxRec = findSandbox(
    srv,
    sandboxName(p.positionals.name as string | undefined, state, ctx),
  );
  const rev = Number(p.flags.rev);
  const statuses = revisionStatuses(rec.policy_revisions);
  const chosen =
    rev === 0 ? rec.policy_revisions.at(-1)! : rec.policy_revisions.find((r) => r.version === rev);
  if (!chosen) {
    err(`No policy history found for sandbox '${rec.name}'`);
    return;
  }
  const view = p.flags.full ? 'full' : p.flags.base ? 'base' : 'meta';
  const policy = view === 'base' ? withoutProviderRules(chosen.policy) : chosen.policy;
  const active = [...statuses].filter(([, v]) => v === 'Loaded').at(-1)?.[0] ?? chosen.version;
  if (p.flags.output === 'json') {
    json({
      scope: 'sandbox',
      sandbox: rec.name,
      version: chosen.version,
      active_version: rev === 0 ? chosen.version : active,
      hash: chosen.hash,
      status: rev === 0 ? 'effective' : statuses.get(chosen.version)!.toLowerCase(),
      config_revision: rec.config_revision,
      policy_source: 'sandbox',
      ...(view === 'meta' ? {} : { policy }),
    });
    return;
  }
  out(`Version:      ${chosen.version}\nHash:         ${chosen.hash}`);
  if (rev === 0) {
    out(`Status:       Effective\nSource:       sandbox\nConfig rev:   ${rec.config_revision}`);
  } else {
    out(`Status:       ${statuses.get(chosen.version)}\nActive:       ${active}`);
    out(`Created:      ${chosen.created_at_ms} ms`);
    if (chosen.load_error) out(`Error:        ${chosen.load_error}`);
  }
  if (view !== 'meta') {
    out('---');
    process.stdout.write(policyYaml(policy));
  }
}

export async function list(p: Parsed): Promise<void> {
  noGlobal(p);
  const { ctx, state, srv } = await serverContext(p);
  const rec = findSandbox(srv, sandboxName(p.positionals.name as string | undefined, state, ctx));
  const statuses = revisionStatuses(rec.policy_revisions);
  const revs = [...rec.policy_revisions].reverse().slice(0, Number(p.flags.limit));
  out(`${pad('VERSION', 8)} ${pad('HASH', 14)} ${pad('STATUS', 12)} ${pad('CREATED', 24)} ERROR`);
  for (const r of revs) {
    const error = r.load_error.length > 40 ? `${r.load_error.slice(0, 40)}...` : r.load_error;
    out(
      `${pad(String(r.version), 8)} ${pad(r.hash.slice(0, 12), 14)} ${pad(statuses.get(r.version)!, 12)} ${pad(String(r.created_at_ms), 24)} ${error}`,
    );
  }
}
