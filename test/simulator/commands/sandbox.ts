/** `sandbox create|get|list|delete|stop|start` (cli/run.rs sandbox_*). */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Parsed } from '../args.ts';
import {
  createContainer,
  dockerEnabled,
  removeContainer,
  startContainer,
  stopContainer,
} from '../docker.ts';
import { SimError, err, formatEpochMs, grpcError, json, out, pad } from '../io.ts';
import type { Policy } from '../policy.ts';
import {
  defaultPolicy,
  loadPolicyFile,
  policyHash,
  policyYaml,
  validatePolicy,
} from '../policy.ts';
import { stopRelay } from '../forward-relay.ts';
import { pullForRemote, refuseLocalBuild } from '../remote-image.ts';
import { checkSandboxName } from '../names.ts';
import type { SandboxRec } from '../state.ts';
import { allScopes, readState, server, update } from '../state.ts';
import {
  currentPolicyVersion,
  findSandbox,
  phases,
  pushEvent,
  sandboxJson,
  sandboxName,
  serverContext,
  waitReady,
} from './common.ts';

/** `--from`: Dockerfile paths are refused (build the image first); bare names are community images. */
export function resolveFrom(from: string, remoteGateway: string | false = false): string {
  const looksLocal = from.startsWith('.') || from.startsWith('/') || from.startsWith('~');
  const isDockerfile =
    (existsSync(from) && statSync(from).isFile() && /Dockerfile/i.test(from)) ||
    (existsSync(from) && statSync(from).isDirectory() && existsSync(join(from, 'Dockerfile')));
  if (isDockerfile && remoteGateway) refuseLocalBuild(remoteGateway);
  if (isDockerfile) {
    throw new SimError(
      `building --from '${from}' is not simulated: build the image with Docker first and pass its tag`,
    );
  }
  if (looksLocal) throw new SimError(`local path '${from}' does not exist`);
  if (/[/:.]/.test(from)) return from;
  const prefix =
    process.env.OPENSHELL_COMMUNITY_REGISTRY ?? 'ghcr.io/nvidia/openshell-community/sandboxes';
  return `${prefix}/${from}:latest`;
}

function keyValues(list: string[] | undefined, flag: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new SimError(`${flag} expects KEY=VALUE, got '${item}'`);
    result[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return result;
}

function initialPolicy(p: Parsed): Policy {
  const file = (p.flags.policy as string | undefined) ?? process.env.OPENSHELL_SANDBOX_POLICY;
  if (!file) return defaultPolicy();
  const { policy, raw } = loadPolicyFile(file);
  validatePolicy(policy, raw);
  return policy;
}

export async function create(p: Parsed): Promise<void> {
  const { ctx, srv } = await serverContext(p);
  for (const [flag, what] of [
    ['editor', '--editor'],
    ['upload', '--upload'],
    ['forward', '--forward'],
    ['no_keep', '--no-keep'],
  ] as const) {
    if (p.present.has(flag)) throw new SimError(`${what} is not simulated`);
  }
  const name = (p.flags.name as string | undefined) ?? `sandbox-${randomBytes(3).toString('hex')}`;
  checkSandboxName(name);
  const remote = readState().gateways[ctx.name]?.is_remote === true;
  const image = resolveFrom((p.flags.from as string | undefined) ?? 'base', remote && ctx.name);
  const policy = initialPolicy(p);
  const gpuFlag = p.flags.gpu as string | undefined;
  const gpu = gpuFlag === undefined ? null : gpuFlag === '' ? 1 : Number(gpuFlag);
  const available = Number(process.env.OPENSHELL_SIM_GPUS ?? 0);
  if (gpu !== null && gpu > available) {
    throw grpcError(
      'FailedPrecondition',
      `GPU requested (${gpu}) but the gateway has ${available} GPU(s) available`,
    );
  }
  const providers = (p.flags.provider as string[] | undefined) ?? [];
  for (const prov of providers) {
    if (!srv.providers[prov]) throw new SimError(`provider '${prov}' not found`);
  }
  const backed = await dockerEnabled();
  const now = Date.now();
  const rec: SandboxRec = {
    id: randomUUID(),
    name,
    workspace: p.global.workspace,
    labels: keyValues(p.flags.label as string[] | undefined, '--label'),
    image,
    command:
      p.trailing.length > 0
        ? p.trailing
        : (process.env.OPENSHELL_SIM_DEFAULT_CMD ?? '/bin/sh -l').split(' '),
    env: keyValues(p.flags.env as string[] | undefined, '--env'),
    providers,
    gpu,
    created_at_ms: now,
    ready_at_ms: now + Number(process.env.OPENSHELL_SIM_READY_DELAY_MS ?? 300),
    resource_version: 1,
    backed,
    container_id: null,
    error: null,
    stopped: false,
    policy_revisions: [
      {
        version: 1,
        hash: policyHash(policy),
        created_at_ms: now,
        load_at_ms: now,
        outcome: 'loaded',
        load_error: '',
        policy,
      },
    ],
    config_revision: 1,
    events: [],
  };
  pushEvent(rec, 'sandbox created', { sandbox: name, image });
  update((s) => {
    const sv = server(s, ctx.endpoint);
    if (sv.sandboxes[name]) {
      throw grpcError(
        'AlreadyExists',
        `sandbox '${name}' already exists`,
        'hint: delete it first with: openshell sandbox delete <name>\n      or use a different name',
      );
    }
    sv.sandboxes[name] = rec;
    s.last_sandbox[ctx.name] = name;
  });
  const structured = p.flags.output !== 'table';
  if (structured) err('Provisioning sandbox (structured output on stdout)...');
  else out(`\nCreated sandbox: ${name}\n\n  [0.0s] Requesting compute...`);
  if (backed) {
    try {
      if (remote) await pullForRemote(image);
      const id = await createContainer(rec, {
        cpu: p.flags.cpu as string | undefined,
        memory: p.flags.memory as string | undefined,
      });
      // The ready delay runs from the container start (at least 100 ms), so a main process
      // that exits at once is seen as Error rather than racing to Ready.
      const delay = Math.max(100, Number(process.env.OPENSHELL_SIM_READY_DELAY_MS ?? 300));
      update((s) => {
        const r = server(s, ctx.endpoint).sandboxes[name];
        if (!r) return;
        r.container_id = id;
        r.ready_at_ms = Date.now() + delay;
      });
    } catch (e) {
      update((s) => {
        const r = server(s, ctx.endpoint).sandboxes[name];
        if (r) r.error = (e as Error).message;
      });
      throw e;
    }
  }
  await waitReady(ctx.endpoint, name, 'provisioning');
  const ready = update((s) => {
    const r = server(s, ctx.endpoint).sandboxes[name]!;
    pushEvent(r, 'sandbox ready', { sandbox: name });
    return r;
  });
  if (structured) json(sandboxJson(ready, 'Ready'));
  else out(`  [${((Date.now() - now) / 1000).toFixed(1)}s] Sandbox ready`);
}

export async function get(p: Parsed): Promise<void> {
  const { ctx, state, srv } = await serverContext(p);
  const rec = findSandbox(srv, sandboxName(p.positionals.name as string | undefined, state, ctx));
  const phase = (await phases([rec])).get(rec.name)!.phase;
  const policy = rec.policy_revisions.at(-1)!.policy;
  if (p.flags.policy_only) {
    process.stdout.write(policyYaml(policy));
    return;
  }
  const revision = currentPolicyVersion(rec);
  if (p.flags.output !== 'table') {
    json({ ...sandboxJson(rec, phase), policy_source: 'sandbox', revision, policy });
    return;
  }
  out(`Sandbox:\n\n  Id: ${rec.id}\n  Name: ${rec.name}\n  Phase: ${phase}`);
  out(`  Resource version: ${rec.resource_version}`);
  const labels = Object.entries(rec.labels).sort(([a], [b]) => a.localeCompare(b));
  if (labels.length > 0) {
    out('  Labels: ');
    for (const [k, v] of labels) out(`    ${k}: ${v}`);
  }
  out(`  Policy source: sandbox\n  Revision: ${revision}\n`);
  process.stdout.write(policyYaml(policy));
}

function matchesSelector(labels: Record<string, string>, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector
    .split(',')
    .filter(Boolean)
    .every((term) => {
      const [k, v] = term.split('=');
      return k !== undefined && labels[k.trim()] === v?.trim();
    });
}

export async function list(p: Parsed): Promise<void> {
  const { ctx, state, srv } = await serverContext(p);
  const offset = Number(p.flags.offset);
  // --all-workspaces overrides --workspace: every workspace of this gateway (main.rs SandboxCommands).
  const pool = p.flags.all_workspaces
    ? allScopes(state)
        .filter(([e]) => e === ctx.endpoint)
        .flatMap(([, s]) => Object.values(s.sandboxes))
    : Object.values(srv.sandboxes);
  const recs = pool
    .filter((r) => p.flags.all_workspaces || r.workspace === p.global.workspace)
    .filter((r) => matchesSelector(r.labels, p.flags.selector as string | undefined))
    .sort((a, b) => a.created_at_ms - b.created_at_ms)
    .slice(offset, offset + Number(p.flags.limit));
  const view = await phases(recs);
  if (p.flags.output !== 'table' && !p.flags.ids && !p.flags.names) {
    json(recs.map((r) => sandboxJson(r, view.get(r.name)!.phase)));
    return;
  }
  if (recs.length === 0) {
    if (!p.flags.ids && !p.flags.names) out('No sandboxes found.');
    return;
  }
  if (p.flags.ids || p.flags.names) {
    for (const r of recs) out(p.flags.ids ? r.id : r.name);
    return;
  }
  const nw = Math.max(4, ...recs.map((r) => r.name.length));
  out(`${pad('NAME', nw)}  ${pad('CREATED', 19)}  PHASE`);
  for (const r of recs) {
    out(
      `${pad(r.name, nw)}  ${pad(formatEpochMs(r.created_at_ms), 19)}  ${view.get(r.name)!.phase}`,
    );
  }
}

/** Drops the forwards of a sandbox, printing what it stopped (as delete and stop do). */
function stopForwards(name: string): void {
  const stopped = update((s) => {
    const mine = s.forwards.filter((f) => f.sandbox === name);
    s.forwards = s.forwards.filter((f) => f.sandbox !== name);
    return mine;
  });
  for (const f of stopped) {
    if (f.relay) stopRelay(f.pid);
    err(`✓ Stopped forward of port ${f.port} for sandbox ${name}`);
  }
}

export async function remove(p: Parsed): Promise<void> {
  const { ctx, srv } = await serverContext(p);
  let names = (p.positionals.names as string[] | undefined) ?? [];
  if (p.flags.all) {
    names = Object.keys(srv.sandboxes);
    if (names.length === 0) {
      out('No sandboxes to delete.');
      return;
    }
  }
  for (const name of names) {
    stopForwards(name);
    const rec = server(readState(), ctx.endpoint).sandboxes[name];
    if (!rec) throw grpcError('NotFound', `sandbox '${name}' not found`);
    if (rec.container_id && (await dockerEnabled())) await removeContainer(rec.container_id);
    update((s) => {
      delete server(s, ctx.endpoint).sandboxes[name];
      if (s.last_sandbox[ctx.name] === name) delete s.last_sandbox[ctx.name];
    });
    out(`✓ Deleted sandbox ${name}`);
  }
}

export async function stop(p: Parsed): Promise<void> {
  const { ctx, state, srv } = await serverContext(p);
  const name = sandboxName(p.positionals.name as string | undefined, state, ctx);
  const rec = findSandbox(srv, name);
  stopForwards(name); // run.rs sandbox_stop drops the forwards before it asks the gateway
  // compute/mod.rs stop_sandbox: Stopped is a no-op; anything but Ready/Stopping is refused.
  const phase = (await phases([rec])).get(name)!.phase;
  if (phase === 'Stopped') return out(`✓ Stopped sandbox ${name}`);
  if (phase !== 'Ready' && phase !== 'Stopping')
    throw grpcError(
      'FailedPrecondition',
      `sandbox must be Ready to stop (current phase: ${phase})`,
    );
  if (rec.container_id && (await dockerEnabled())) await stopContainer(rec.container_id);
  update((s) => {
    const r = server(s, ctx.endpoint).sandboxes[name];
    if (r) r.stopped = true;
  });
  out(`✓ Stopped sandbox ${name}`);
}

export async function start(p: Parsed): Promise<void> {
  const { ctx, state, srv } = await serverContext(p);
  const name = sandboxName(p.positionals.name as string | undefined, state, ctx);
  const rec = findSandbox(srv, name);
  // crates/openshell-server/src/compute/mod.rs start_sandbox: Ready is a no-op; anything but
  // Stopped/Starting is refused with FailedPrecondition. Error included: a container whose main
  // process exited is ContainerExited, a terminal reason (is_terminal_failure_reason), so the
  // sandbox is Error, and apply_driver_snapshot keeps Error terminal.
  const phase = (await phases([rec])).get(name)!.phase;
  if (phase === 'Ready') return out(`✓ Started sandbox ${name}`);
  if (phase !== 'Stopped' && phase !== 'Starting')
    throw grpcError(
      'FailedPrecondition',
      `sandbox must be Stopped to start (current phase: ${phase})`,
    );
  if (rec.container_id && (await dockerEnabled())) await startContainer(rec.container_id);
  update((s) => {
    const r = server(s, ctx.endpoint).sandboxes[name];
    if (!r) return;
    r.stopped = false;
    r.ready_at_ms = Date.now() + Number(process.env.OPENSHELL_SIM_READY_DELAY_MS ?? 300);
  });
  await waitReady(ctx.endpoint, name, 'starting');
  out(`✓ Started sandbox ${name}`);
}
