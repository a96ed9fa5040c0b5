/**
 * Local inference containers: create (with a GPU device request when asked), start, and wait for
 * health. If the container exits while we wait, stop waiting at once and show its last log lines
 * (NC#3333: the reference sat out 300 s for a container that had died).
 */
import type { DockerEngine } from '../adapters/docker/engine.ts';
import { errorMessage, NemoclawError } from '../core/errors.ts';
import { isGpuRefusal, toolkitMissingError } from '../core/gpu.ts';
import {
  healthUrl,
  localInferenceContainerSpec,
  SERVING_RESTART_POLICY,
  type LocalInferenceSpec,
} from '../core/local-inference.ts';
import type { DockerIo, World } from '../world.ts';

export interface LocalInferenceDeps extends Pick<World, 'docker'> {
  engine: DockerEngine;
  onProgress?: (line: string) => void;
  fetchImpl?: typeof fetch;
}

export interface LocalInferenceResult {
  containerId: string;
  url: string;
  /** An existing healthy container was reused. */
  reused: boolean;
}

/** A 70B model from a cold cache can take this long to download and load. */
export const DEFAULT_LOAD_TIMEOUT_MS = 45 * 60_000;
const PROGRESS_EVERY_MS = 15_000;

/** The deps with the world's Docker area loaded. */
type Io = LocalInferenceDeps & { d: DockerIo };

export async function startLocalInference(
  world: LocalInferenceDeps,
  spec: LocalInferenceSpec,
  o: { timeoutMs?: number; pollMs?: number } = {},
): Promise<LocalInferenceResult> {
  const deps: Io = { ...world, d: await world.docker() };
  const url = healthUrl(spec);
  const fetchImpl = deps.fetchImpl ?? fetch;
  const existing = await deps.d.inspectContainer(deps.engine, spec.containerName);
  if (existing?.running && (await answers(fetchImpl, url))) {
    if (existing.restartPolicy !== SERVING_RESTART_POLICY)
      await deps.d.setRestartPolicy(deps.engine, existing.id, SERVING_RESTART_POLICY);
    return { containerId: existing.id, url, reused: true };
  }
  let id = existing?.id;
  if (existing && existing.image !== spec.image) {
    await deps.d.removeContainer(deps.engine, existing.id);
    id = undefined;
  }
  if (!id) {
    await deps.d.ensureImage(deps.engine, spec.image, {
      purpose: `${spec.kind} inference`,
      onProgress: deps.onProgress,
    });
    id = await createGpuAware(deps.d, deps.engine, spec);
  } else if (existing?.restartPolicy !== 'no') {
    // A container kept from an earlier run: no restarts until it answers (see waitHealthy).
    await deps.d.setRestartPolicy(deps.engine, id, 'no');
  }
  deps.onProgress?.(
    `Starting ${spec.containerName} (${spec.image})${spec.gpu ? ' with all GPUs' : ''} …`,
  );
  try {
    await deps.d.startContainer(deps.engine, id);
  } catch (e) {
    const mapped = mapGpuRefusal(e, spec);
    // A container the Engine will never start must not linger to be "reused" next time.
    if (mapped !== e) await deps.d.removeContainer(deps.engine, id);
    throw mapped;
  }
  await waitHealthy(deps, spec, id, url, o.timeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS, o.pollMs ?? 1000);
  await deps.d.setRestartPolicy(deps.engine, id, SERVING_RESTART_POLICY);
  return { containerId: id, url, reused: false };
}

async function createGpuAware(
  d: DockerIo,
  e: DockerEngine,
  spec: LocalInferenceSpec,
): Promise<string> {
  try {
    return await d.createContainer(e, localInferenceContainerSpec(spec));
  } catch (err) {
    throw mapGpuRefusal(err, spec);
  }
}

/** The Engine's refusal of a GPU device request becomes the toolkit install steps. */
export function mapGpuRefusal(err: unknown, spec: Pick<LocalInferenceSpec, 'gpu'>): unknown {
  const msg = errorMessage(err);
  if (spec.gpu && isGpuRefusal(msg)) {
    const said =
      /could not select device driver[^\n]*|unknown or invalid runtime[^\n]*|[^\n]*CDI[^\n]*/i.exec(
        msg,
      )?.[0];
    return toolkitMissingError(err, said?.trim());
  }
  return err;
}

async function answers(fetchImpl: typeof fetch, url: string): Promise<boolean> {
  try {
    const r = await fetchImpl(url, { signal: AbortSignal.timeout(2000) });
    await r.body?.cancel().catch(() => {});
    return r.ok;
  } catch {
    return false;
  }
}

async function waitHealthy(
  deps: Io,
  spec: LocalInferenceSpec,
  id: string,
  url: string,
  timeoutMs: number,
  pollMs: number,
): Promise<void> {
  let exited: { exitCode: number } | undefined;
  // The container restarts on nothing while it loads, so once it stops it stays stopped: the
  // Engine's answer (and the inspect below) give the code of the one exit, never a later restart's.
  const stopWaiting = new AbortController();
  const exit = deps.d.waitForExit(deps.engine, id, stopWaiting.signal).then(
    (r) => (exited = r),
    () => undefined,
  );
  try {
    await pollHealthy(deps, spec, id, url, timeoutMs, pollMs, exit, () => exited);
  } finally {
    stopWaiting.abort();
  }
  if (!exited) return;
  const state = await deps.d.inspectContainer(deps.engine, id);
  const logs = await deps.d.containerLogTail(deps.engine, id, 20);
  const code = state && !state.running ? state.exitCode : exited?.exitCode;
  const oom =
    state?.oomKilled || code === 137
      ? ' Exit code 137: the kernel OOM killer stopped it; the model needs more memory.'
      : '';
  throw new NemoclawError(
    'failed',
    `${spec.containerName} exited with code ${code} before it became healthy.${oom}${showLogs(spec, logs)}`,
    {
      hint: `Fix the cause in the log lines above (docker logs ${spec.containerName} shows more), then run the command again.`,
      detail: { container: spec.containerName, exitCode: code, logs },
    },
  );
}

/** Returns when the server answers or the container has exited; throws at the bound. */
async function pollHealthy(
  deps: Io,
  spec: LocalInferenceSpec,
  id: string,
  url: string,
  timeoutMs: number,
  pollMs: number,
  exit: Promise<unknown>,
  exited: () => unknown,
): Promise<void> {
  const fetchImpl = deps.fetchImpl ?? fetch;
  const started = Date.now();
  let lastProgress = started;
  let stopTimer: (() => void) | undefined;
  while (!exited()) {
    if (await answers(fetchImpl, url)) return;
    if (exited()) break;
    const now = Date.now();
    if (now - started >= timeoutMs) {
      const logs = await deps.d.containerLogTail(deps.engine, id, 20);
      throw new NemoclawError(
        'timeout',
        `${spec.containerName} did not answer ${url} within ${Math.round(timeoutMs / 1000)} s.${showLogs(spec, logs)}`,
        {
          hint: `A large model can take long to load; check the container (docker logs ${spec.containerName}) and retry.`,
          detail: { container: spec.containerName, url, logs },
        },
      );
    }
    if (now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now;
      const last = (await deps.d.containerLogTail(deps.engine, id, 1))[0];
      deps.onProgress?.(
        `Waiting for ${spec.containerName} to load its model (${Math.round((now - started) / 1000)} s)${last ? `: ${last.slice(0, 120)}` : ''}`,
      );
    }
    await Promise.race([
      new Promise<void>((r) => {
        const t = setTimeout(r, pollMs);
        stopTimer = () => clearTimeout(t);
      }),
      exit,
    ]);
    stopTimer?.();
  }
}

function showLogs(spec: LocalInferenceSpec, logs: string[]): string {
  return logs.length > 0
    ? `\n--- last log lines of ${spec.containerName} ---\n${logs.join('\n')}`
    : '';
}
