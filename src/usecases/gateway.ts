/**
 * The OpenShell gateway: run it here as a container (local mode) or register one that runs
 * elsewhere (remote mode). Observe → plan (core/gateway-plan.ts) → apply, idempotently: a healthy
 * gateway is reused, a stopped one started, an unhealthy one restarted; one whose layout drifted
 * from core/gateway-config.ts is recreated on the same volume (which holds the gateway's secrets),
 * and a changed image or port is explained, never silently applied.
 */
import type { ContainerState } from '../adapters/docker/containers.ts';
import type { DockerEngine } from '../adapters/docker/engine.ts';
import { readFile } from 'node:fs/promises';
import type { GatewayStatus, OpenshellClient } from '../adapters/openshell/types.ts';
import type { Blueprint } from '../core/blueprint/schema.ts';
import { NemoclawError, errorMessage } from '../core/errors.ts';
import { unobservedText, type Unobserved } from '../core/unobserved.ts';
import {
  gatewayContainerSpec,
  gatewaySettings,
  planGateway,
  type GatewayObservation,
  type GatewaySettings,
  type GatewayStep,
} from '../core/gateway-plan.ts';
import type { Plan } from '../core/plan.ts';
import type { DockerIo, HttpIo, World } from '../world.ts';

export type GatewayClient = Pick<
  OpenshellClient,
  'status' | 'gatewayAdd' | 'gatewaySelect' | 'gatewayList' | 'gatewayRemove'
>;

export interface GatewayDeps extends Pick<World, 'docker' | 'files' | 'http'> {
  engine: DockerEngine;
  openshell: GatewayClient;
  env: Record<string, string | undefined>;
  supervisorDir: string;
  onProgress?: (line: string) => void;
  /** A read that failed and what that leaves unknown; without it, a progress line. */
  warn?: (u: Unobserved) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface EnsureGatewayOptions {
  blueprint: Blueprint;
  port: number;
  /** Replace a container whose image or port changed (the volume is kept). */
  recreate?: boolean;
  /** How long to wait for Connected after starting; default 90 s (NEMOCLAW_GATEWAY_TIMEOUT, s). */
  timeoutMs?: number;
  /** How long a running gateway may take to answer before it counts as unhealthy; default 10 s. */
  graceMs?: number;
  /** Stop after planning. */
  dryRun?: boolean;
  /** Extra labels on everything created (tests add their run id). */
  extraLabels?: Record<string, string>;
}

export interface GatewayOutcome {
  settings: GatewaySettings;
  plan: Plan<GatewayStep>;
  /** Nothing had to change. */
  reused: boolean;
  status?: GatewayStatus;
}

const CONNECTED = new Set(['connected', 'connected_http']);
const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The deps with the world's areas loaded once. */
type GatewayIo = GatewayDeps & {
  d: DockerIo;
  gatewayReady: HttpIo['gatewayReady'];
};

export async function ensureGateway(
  world: GatewayDeps,
  o: EnsureGatewayOptions,
): Promise<GatewayOutcome> {
  const [d, http, { writeFileAtomic }] = await Promise.all([
    world.docker(),
    world.http(),
    world.files(),
  ]);
  const deps: GatewayIo = { ...world, d, gatewayReady: http.gatewayReady };
  const { ensureImage, installSupervisor, createVolume, removeContainer, createContainer } = d;
  const { startContainer, restartContainer } = d;
  const settings = gatewaySettings(o.blueprint, deps.env, {
    port: o.port,
    supervisorDir: deps.supervisorDir,
    socketPath: deps.engine.target.kind === 'unix' ? deps.engine.target.socketPath : undefined,
    socketGid: await d.socketGroupId(deps.engine),
    extraLabels: o.extraLabels,
  });
  const obs = await observeGateway(deps, settings, o.graceMs ?? 10_000);
  const plan = planGateway(settings, obs, { recreate: o.recreate });
  if (o.dryRun) return { settings, plan, reused: plan.steps.length === 0 };
  if (plan.steps.length === 0) {
    return { settings, plan, reused: true, status: await deps.openshell.status() };
  }
  let status: GatewayStatus | undefined;
  let containerId = obs.container?.id;
  const { runPlan } = await import('../core/plan-run.ts');
  await runPlan(
    plan,
    {
      'docker.supervisor.copy': async () => {
        await ensureImage(deps.engine, settings.supervisorImage, {
          overrideEnv: 'NEMOCLAW_SUPERVISOR_IMAGE',
          purpose: 'OpenShell supervisor',
          onProgress: deps.onProgress,
        });
        await installSupervisor(
          deps.engine,
          settings.supervisorImage,
          settings.supervisorPathInImage,
          settings.supervisorHostPath,
          settings.labels,
        );
      },
      'docker.image.ensure': () =>
        ensureImage(deps.engine, settings.gatewayImage, {
          overrideEnv: 'NEMOCLAW_GATEWAY_IMAGE',
          purpose: 'OpenShell gateway',
          onProgress: deps.onProgress,
        }),
      'docker.volume.create': () => createVolume(deps.engine, settings.volumeName, settings.labels),
      'docker.container.remove': async () => {
        if (containerId) await removeContainer(deps.engine, containerId);
        containerId = undefined;
      },
      // World-readable: the gateway reads it as root through a read-only mount; it holds no secret.
      'file.write': () => writeFileAtomic(settings.configHostPath, settings.configToml, 0o644),
      'docker.container.create': async () => {
        containerId = await createContainer(
          deps.engine,
          gatewayContainerSpec(settings, { entrypoint: await entrypointOf(deps, settings) }),
        );
      },
      'docker.container.start': () =>
        startContainer(deps.engine, containerId ?? settings.containerName),
      'docker.container.restart': () =>
        restartContainer(deps.engine, containerId ?? settings.containerName),
      'openshell.gateway.remove': () => deps.openshell.gatewayRemove(settings.name),
      'openshell.gateway.add': () =>
        deps.openshell.gatewayAdd(settings.url, { name: settings.name, local: true }),
      'openshell.gateway.select': () => deps.openshell.gatewaySelect(settings.name),
      'openshell.gateway.wait': async () => {
        status = await waitForGateway(deps, settings, o.timeoutMs ?? timeoutFromEnv(deps.env));
      },
    },
    { before: (step) => deps.onProgress?.(`${step.kind} ${step.target}: ${step.cause}`) },
  );
  return { settings, plan, reused: false, status };
}

async function entrypointOf(deps: GatewayIo, s: GatewaySettings): Promise<string[]> {
  const ep = (await deps.d.inspectImage(deps.engine, s.gatewayImage))?.entrypoint ?? [];
  if (ep.length === 0) {
    throw new NemoclawError('invalid', `The gateway image ${s.gatewayImage} has no entrypoint.`, {
      hint: 'Use the OpenShell gateway image the blueprint names (or fix NEMOCLAW_GATEWAY_IMAGE).',
    });
  }
  return ep;
}

function timeoutFromEnv(env: Record<string, string | undefined>): number {
  const s = Number(env.NEMOCLAW_GATEWAY_TIMEOUT);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 90_000;
}

async function observeGateway(
  deps: GatewayIo,
  s: GatewaySettings,
  graceMs: number,
): Promise<GatewayObservation> {
  const [c, vol, sup, list, toml] = await Promise.all([
    deps.d.inspectContainer(deps.engine, s.containerName),
    deps.d.volumeExists(deps.engine, s.volumeName),
    deps.d.supervisorIsCurrent(s.supervisorHostPath, s.supervisorImage),
    deps.openshell.gatewayList().catch((e: unknown) => {
      const u: Unobserved = {
        id: 'openshell.gateway-list',
        what: "list OpenShell's gateways",
        reason: errorMessage(e),
        consequence: `gateway ${s.name} is taken as not registered`,
      };
      if (deps.warn) deps.warn(u);
      else deps.onProgress?.(`Warning: ${unobservedText(u)}`);
      return [];
    }),
    readFile(s.configHostPath, 'utf8').catch(() => undefined),
  ]);
  const reg = list.find((g) => g.name === s.name);
  const registered = reg ? { endpoint: reg.endpoint, active: reg.active } : undefined;
  let healthy = false;
  if (c?.running && registered?.active) {
    // Right after a reboot or an Engine restart the gateway needs a moment; do not restart it for that.
    healthy = await pollConnected(deps, s, graceMs);
  }
  return {
    container: c ? { ...c, shape: c } : undefined,
    volumeExists: vol,
    supervisorCurrent: sup,
    configCurrent: toml === s.configToml,
    registered,
    healthy,
  };
}

/** Healthy: the health port says ready and the CLI says Connected. */
async function pollConnected(deps: GatewayIo, s: GatewaySettings, ms: number): Promise<boolean> {
  const sleep = deps.sleep ?? defaultSleep;
  const until = Date.now() + ms;
  for (;;) {
    const st = await deps.openshell.status().catch(() => undefined);
    if (st && CONNECTED.has(st.status) && (await deps.gatewayReady(s.healthPort))) return true;
    if (Date.now() >= until) return false;
    await sleep(500);
  }
}

/** Polls `openshell status`; stops at once if the container exits, with its last log lines. */
async function waitForGateway(
  deps: GatewayIo,
  s: GatewaySettings,
  timeoutMs: number,
): Promise<GatewayStatus> {
  const sleep = deps.sleep ?? defaultSleep;
  const start = Date.now();
  let last: GatewayStatus | undefined;
  let restarts: number | undefined;
  for (;;) {
    last = await deps.openshell.status().catch((e: unknown) => ({
      status: 'error',
      error: (e as Error).message,
    }));
    if (CONNECTED.has(last.status)) {
      if (await deps.gatewayReady(s.healthPort)) return last;
      last = { ...last, status: 'not ready', error: `no 200 from /readyz on port ${s.healthPort}` };
    }
    const c = await deps.d.inspectContainer(deps.engine, s.containerName);
    restarts ??= c?.restartCount;
    // With restart policy unless-stopped a crashing gateway comes back again and again: a restart
    // while we wait is as final as an exit.
    if (!c) throw await gatewayDown(deps, s, c, 'the container disappeared');
    if (c.status === 'restarting' || c.restartCount > (restarts ?? 0) || !c.running) {
      const oom = c.oomKilled || c.exitCode === 137 ? ', OOM-killed' : '';
      const what =
        c.running || c.status === 'restarting'
          ? `the container keeps exiting (last exit code ${c.exitCode}${oom}; restarted ${c.restartCount} times)`
          : `the container exited with code ${c.exitCode}${oom}`;
      throw await gatewayDown(deps, s, c, what);
    }
    if (Date.now() - start >= timeoutMs) {
      const said = last.error ? `${last.status}: ${last.error}` : last.status;
      throw await gatewayDown(
        deps,
        s,
        c,
        `it did not report Connected within ${Math.round(timeoutMs / 1000)} s (openshell status: ${said})`,
      );
    }
    await sleep(1000);
  }
}

async function gatewayDown(
  deps: GatewayIo,
  s: GatewaySettings,
  c: ContainerState | undefined,
  why: string,
): Promise<NemoclawError> {
  const logs = c ? await deps.d.containerLogTail(deps.engine, c.id, 15) : [];
  const shown =
    logs.length > 0 ? `\n--- last log lines of ${s.containerName} ---\n${logs.join('\n')}` : '';
  return new NemoclawError(
    'unavailable',
    `The OpenShell gateway at ${s.url} is not healthy: ${why}.${shown}`,
    {
      hint: `Check the gateway container (docker logs ${s.containerName}); raise the wait with NEMOCLAW_GATEWAY_TIMEOUT=<seconds>; then run: nemoclaw onboard --resume`,
      detail: { container: s.containerName, url: s.url, logs },
    },
  );
}

/**
 * Remote mode: an OpenShell gateway someone else runs (for example on Kubernetes with the Helm
 * chart) is registered, never run. `https://` alone means edge/browser auth; `http://` is plaintext.
 */
export async function registerRemoteGateway(
  client: GatewayClient,
  url: string,
  name = 'nemoclaw',
  o: { timeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<{ url: string; warnings: string[]; status: GatewayStatus }> {
  const { url: clean, warnings } = validateGatewayUrl(url);
  const listed = await client.gatewayList().catch((e: unknown) => {
    warnings.push(
      unobservedText({
        id: 'openshell.gateway-list',
        what: "list OpenShell's gateways",
        reason: errorMessage(e),
        consequence: `whether ${name} is already registered elsewhere was not checked`,
      }),
    );
    return [];
  });
  const existing = listed.find((g) => g.name === name);
  if (existing && existing.endpoint.replace(/\/+$/, '') !== clean) {
    throw new NemoclawError(
      'conflict',
      `A gateway named ${name} is already registered at ${existing.endpoint}.`,
      {
        hint: `Remove the old registration first (openshell gateway remove ${name}; the gateway itself is not touched), then run this again.`,
      },
    );
  }
  if (!existing) await client.gatewayAdd(clean, { name });
  else if (!existing.active) await client.gatewaySelect(name);
  const sleep = o.sleep ?? defaultSleep;
  const until = Date.now() + (o.timeoutMs ?? 30_000);
  for (;;) {
    const st = await client
      .status()
      .catch((e: unknown) => ({ status: 'error', error: (e as Error).message }));
    if (CONNECTED.has(st.status)) return { url: clean, warnings, status: st };
    if (Date.now() >= until) {
      throw new NemoclawError(
        'unavailable',
        `The remote OpenShell gateway at ${clean} does not answer (openshell status: ${st.status}${st.error ? `: ${st.error}` : ''}).`,
        {
          hint: 'Check the URL, that the gateway runs (kubectl get pods -n openshell for a Helm install) and that this host can reach it; then run the command again.',
        },
      );
    }
    await sleep(1000);
  }
}

export function validateGatewayUrl(raw: string): { url: string; warnings: string[] } {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new NemoclawError('invalid', `The gateway URL "${raw}" is not a URL.`, {
      hint: 'Use --gateway-url https://openshell.example.com (or NEMOCLAW_GATEWAY_URL).',
    });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new NemoclawError(
      'invalid',
      `The gateway URL must use http or https, not ${u.protocol}`,
      {
        hint: 'Use --gateway-url https://openshell.example.com.',
      },
    );
  }
  if (u.username || u.password || u.search || u.hash) {
    throw new NemoclawError(
      'invalid',
      'The gateway URL must not carry credentials, a query or a fragment.',
      {
        hint: 'Pass just scheme, host and port; OpenShell handles authentication.',
      },
    );
  }
  const warnings: string[] = [];
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol === 'http:' && !loopback) {
    warnings.push(
      `${u.origin} is plaintext http: anyone on the network path can read and change the traffic. Prefer https.`,
    );
  }
  return { url: u.origin + u.pathname.replace(/\/+$/, ''), warnings };
}

/** Local or remote, from `--gateway-url` / NEMOCLAW_GATEWAY_URL (the flag wins). */
export function gatewayMode(
  flags: { gatewayUrl?: string },
  env: Record<string, string | undefined>,
): { mode: 'local' } | { mode: 'remote'; url: string } {
  const url = flags.gatewayUrl?.trim() || env.NEMOCLAW_GATEWAY_URL?.trim();
  return url ? { mode: 'remote', url: validateGatewayUrl(url).url } : { mode: 'local' };
}
