/**
 * The pure half of `<name> status`: each probe's raw result becomes a part with an explicit state,
 * and the parts decide the exit code. Rule: what could not be observed is `unreachable`, never `ok`
 * (user-pain-points 22: "Inference: healthy" while the gateway was down).
 */
import { isOomExit, oomExplanation } from '../posture.ts';
import { JournalSchema, pendingStep, REBUILD_STEPS } from '../rebuild/journal.ts';

export type PartState = 'ok' | 'warn' | 'fail' | 'unreachable';

export interface Part {
  state: PartState;
  summary: string;
  hint?: string;
  [k: string]: unknown;
}

export const STATUS_SCHEMA_VERSION = 1;

/** Non-zero when health cannot be verified: any part failed or could not be observed. */
export function statusExitCode(parts: Part[]): number {
  return parts.some((p) => p.state === 'fail' || p.state === 'unreachable') ? 1 : 0;
}

export function unreachable(what: string, err: unknown, hint?: string): Part {
  const msg = err instanceof Error ? err.message : String(err);
  return { state: 'unreachable', summary: `${what} could not be checked: ${msg}`, hint };
}

const CONNECTED = new Set(['connected', 'connected_http']);

export function gatewayPart(
  name: string,
  st: { status: string; version?: string; error?: string },
): Part {
  if (CONNECTED.has(st.status)) {
    return {
      state: 'ok',
      summary: `gateway ${name} connected${st.version ? ` (v${st.version})` : ''}`,
      status: st.status,
      version: st.version,
    };
  }
  return {
    state: 'unreachable',
    summary: `gateway ${name} is ${st.status}${st.error ? `: ${st.error}` : ''}`,
    status: st.status,
    hint: `Bring it back with: nemoclaw <name> recover`,
  };
}

const TRANSIENT = new Set(['Provisioning', 'Starting', 'Stopping', 'Deleting']);

export function phasePart(phase: string | undefined, sandbox: string): Part {
  if (phase === undefined) {
    return {
      state: 'fail',
      summary: `OpenShell has no sandbox named ${sandbox}`,
      phase: null,
      hint: `Recreate it with: nemoclaw onboard --name ${sandbox} (or remove the entry: nemoclaw ${sandbox} destroy --force)`,
    };
  }
  if (phase === 'Ready') return { state: 'ok', summary: 'Ready', phase };
  if (TRANSIENT.has(phase)) return { state: 'warn', summary: phase, phase };
  if (phase === 'Stopped') {
    return {
      state: 'warn',
      summary: 'Stopped',
      phase,
      hint: `Start it with: nemoclaw ${sandbox} recover`,
    };
  }
  if (phase === 'Error') {
    // OpenShell never starts a failed sandbox again (core/ops/recover-phase.ts).
    return {
      state: 'fail',
      summary: 'Error (its main process exited; OpenShell does not restart it)',
      phase,
      hint: `See why with: nemoclaw ${sandbox} logs; \`nemoclaw ${sandbox} recover\` names the way back from its newest snapshot`,
    };
  }
  return {
    state: 'fail',
    summary: phase,
    phase,
    hint: `Try: nemoclaw ${sandbox} recover; then nemoclaw ${sandbox} logs`,
  };
}

export interface ContainerFacts {
  id: string;
  status: string;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  startedAt?: string;
  restartCount: number;
}

export function containerPart(
  c: ContainerFacts | undefined,
  phase: string | undefined,
  sandbox: string,
  now: Date,
  stats?: { cpuPercent?: number; memoryBytes?: number; memoryLimitBytes?: number },
): Part {
  if (!c) {
    return {
      state: phase === undefined || phase === 'Stopped' ? 'warn' : 'fail',
      summary: 'no container found for this sandbox',
      hint: `Try: nemoclaw ${sandbox} recover`,
    };
  }
  const base = {
    id: c.id.slice(0, 12),
    status: c.status,
    restarts: c.restartCount,
    oomKilled: c.oomKilled,
  };
  if (!c.running) {
    const oom = isOomExit(c.exitCode, c.oomKilled);
    return {
      ...base,
      state: phase === 'Stopped' ? 'warn' : 'fail',
      summary: `container ${c.status}, exit code ${c.exitCode}${oom ? ' (killed: out of memory)' : ''}${phase === 'Ready' ? ' although OpenShell still reports Ready' : ''}`,
      exitCode: c.exitCode,
      hint: oom
        ? `${oomExplanation('The sandbox', c.oomKilled)} Then bring it back with: nemoclaw ${sandbox} recover`
        : `Bring it back with: nemoclaw ${sandbox} recover`,
    };
  }
  const started = c.startedAt ? Date.parse(c.startedAt) : NaN;
  const uptimeSeconds = Number.isNaN(started)
    ? undefined
    : Math.max(0, Math.round((now.getTime() - started) / 1000));
  const parts = [
    `running${uptimeSeconds !== undefined ? ` for ${formatDuration(uptimeSeconds)}` : ''}`,
  ];
  parts.push(`${c.restartCount} restart${c.restartCount === 1 ? '' : 's'}`);
  if (c.oomKilled) parts.push('last exit was an OOM kill');
  if (stats?.cpuPercent !== undefined) parts.push(`CPU ${stats.cpuPercent.toFixed(1)}%`);
  if (stats?.memoryBytes !== undefined) {
    parts.push(
      `memory ${formatBytes(stats.memoryBytes)}${stats.memoryLimitBytes ? ` / ${formatBytes(stats.memoryLimitBytes)}` : ''}`,
    );
  }
  return {
    ...base,
    state: c.restartCount > 0 || c.oomKilled ? 'warn' : 'ok',
    summary: parts.join(', '),
    uptimeSeconds,
    cpuPercent: stats?.cpuPercent,
    memoryBytes: stats?.memoryBytes,
    memoryLimitBytes: stats?.memoryLimitBytes,
  };
}

/** `nvidia-smi -L` prints one `GPU <n>: <name> (UUID: …)` line per device. */
export function gpuLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^GPU \d+:/.test(l));
}

export function gpuPart(
  requested: boolean,
  probe: { exitCode: number; stdout: string; stderr: string } | { error: unknown } | undefined,
): Part {
  if (!requested) return { state: 'ok', summary: 'not requested', result: 'not-requested' };
  if (!probe || 'error' in probe) {
    const why =
      probe && 'error' in probe ? `: ${(probe.error as Error)?.message ?? probe.error}` : '';
    return {
      state: 'warn',
      summary: `unverified (nvidia-smi -L could not run in the sandbox${why})`,
      result: 'unverified',
    };
  }
  const gpus = gpuLines(probe.stdout);
  if (probe.exitCode === 0 && gpus.length > 0) {
    return { state: 'ok', summary: `verified: ${gpus.join('; ')}`, result: 'verified', gpus };
  }
  const detail = (probe.stderr || probe.stdout).trim().split('\n')[0] ?? '';
  return {
    state: 'fail',
    summary: `failed: nvidia-smi -L exited ${probe.exitCode}${detail ? ` (${detail})` : ''}`,
    result: 'failed',
    hint: 'Check the NVIDIA Container Toolkit and CDI on the host (nemoclaw doctor).',
  };
}

export function inferencePart(
  route: { provider: string; model: string } | undefined,
  expected: { provider: string; model: string },
): Part {
  if (!route) {
    return {
      state: 'fail',
      summary: 'no inference route is configured on the gateway',
      hint: `Set it with: nemoclaw inference set --provider ${expected.provider} --model ${expected.model}`,
    };
  }
  if (route.provider === expected.provider && route.model === expected.model) {
    return { state: 'ok', summary: `${route.model} via ${route.provider}`, ...route };
  }
  return {
    state: 'warn',
    summary: `route now serves ${route.model} via ${route.provider} (changed by another onboarding); this sandbox was set up for ${expected.model} via ${expected.provider}`,
    ...route,
    expected,
    hint: `One route serves every sandbox on a gateway. Put it back with: nemoclaw inference set --provider ${expected.provider} --model ${expected.model}`,
  };
}

/** A rebuild journal (core/rebuild/journal.ts): interrupted unless it completed. */
export function interpretJournal(value: unknown): {
  interrupted: boolean;
  step?: string;
  failure?: string;
} {
  const parsed = JournalSchema.safeParse(value);
  if (!parsed.success) return { interrupted: true };
  const j = parsed.data;
  if (j.completedAt) return { interrupted: false };
  const step = pendingStep(j);
  if (!step) return { interrupted: false };
  const title = REBUILD_STEPS.find((s) => s.id === step)?.title;
  return {
    interrupted: true,
    step: title ? `${step} (${title})` : step,
    failure: j.failure?.message,
  };
}

export function formatDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

const MARK: Record<PartState, string> = { ok: '✓', warn: '!', fail: '✗', unreachable: '?' };

export function statusMark(s: PartState): string {
  return MARK[s];
}
