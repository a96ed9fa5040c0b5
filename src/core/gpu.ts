/**
 * GPU decisions (product.md §11): parse what `nvidia-smi` says, decide whether the NVIDIA Container
 * Toolkit is there, resolve `--gpu/--no-gpu/--gpu-count` against that, and recognise the Engine's
 * refusal of a GPU device request. Pure.
 */
import { NemoclawError } from './errors.ts';

export interface GpuInfo {
  name: string;
  /** undefined when the driver reports [N/A] (unified-memory parts such as GB10). */
  memoryMiB?: number;
}

export interface ToolkitFacts {
  /** `nvidia-ctk --version` answered. */
  nvidiaCtk?: string;
  /** CDI spec files naming NVIDIA devices. */
  cdiSpecs: string[];
  /** Runtimes the Engine knows (docker info). */
  engineRuntimes: string[];
}

export interface GpuDetection {
  gpus: GpuInfo[];
  toolkit: ToolkitFacts & { present: boolean; via: string[] };
}

export const NVIDIA_SMI_ARGS = ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'];

/** Parses `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(text: string): GpuInfo[] {
  const out: GpuInfo[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const comma = line.lastIndexOf(',');
    // A GPU name may itself hold a comma; memory is always the last field.
    const name = (comma >= 0 ? line.slice(0, comma) : line).trim();
    const mem = comma >= 0 ? line.slice(comma + 1).trim() : '';
    if (!name || /^(No devices|NVIDIA-SMI has failed)/i.test(line)) continue;
    const n = Number(mem);
    out.push({ name, memoryMiB: mem && Number.isFinite(n) ? n : undefined });
  }
  return out;
}

export function toolkitPresence(f: ToolkitFacts): { present: boolean; via: string[] } {
  const via: string[] = [];
  if (f.engineRuntimes.includes('nvidia')) via.push('Engine runtime "nvidia"');
  if (f.cdiSpecs.length > 0) via.push(`CDI spec ${f.cdiSpecs.join(', ')}`);
  if (f.nvidiaCtk) via.push(`nvidia-ctk ${f.nvidiaCtk}`);
  // nvidia-ctk alone is not enough: the Engine must be able to hand out devices (runtime or CDI).
  const present = f.engineRuntimes.includes('nvidia') || f.cdiSpecs.length > 0;
  return { present, via };
}

export const TOOLKIT_INSTALL_HINT = [
  'Install the NVIDIA Container Toolkit and let Docker use it:',
  '  1. install the package nvidia-container-toolkit (https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html)',
  '  2. sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker',
  '  3. sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml',
  'Or run without a GPU: --no-gpu.',
].join('\n');

/** What the user asked: auto (default), on (`--gpu`, optionally a count), or off (`--no-gpu`). */
export type GpuRequest = { mode: 'auto' } | { mode: 'on'; count?: number } | { mode: 'off' };

export interface GpuDecision {
  enabled: boolean;
  /** For `openshell sandbox create --gpu [N]`; undefined means no count (OpenShell takes 1). */
  count?: number;
  /** Why, in one line, for the plan and the summary. */
  reason: string;
}

/** Parses `--gpu`, `--no-gpu`, `--gpu-count N` and NEMOCLAW_GPU (auto|1|0|on|off|N). */
export function parseGpuRequest(o: {
  gpu?: boolean;
  gpuCount?: number | string;
  env?: string;
}): GpuRequest {
  if (o.gpu === false) return { mode: 'off' };
  if (o.gpuCount !== undefined)
    return { mode: 'on', count: parseCount(String(o.gpuCount), '--gpu-count') };
  if (o.gpu === true) return { mode: 'on' };
  const v = o.env?.trim().toLowerCase();
  if (!v || v === 'auto') return { mode: 'auto' };
  if (['0', 'off', 'false', 'no'].includes(v)) return { mode: 'off' };
  if (['on', 'true', 'yes'].includes(v)) return { mode: 'on' };
  return { mode: 'on', count: parseCount(v, 'NEMOCLAW_GPU') };
}

function parseCount(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    throw new NemoclawError(
      'invalid',
      `${what} must be a whole number of GPUs (1 or more), not "${v}".`,
      {
        hint: 'Use --gpu, --gpu-count N, or --no-gpu (NEMOCLAW_GPU=auto|on|off|N).',
      },
    );
  }
  return n;
}

/** Resolves a request against what the host has; an impossible `--gpu` fails before anything runs. */
export function decideGpu(req: GpuRequest, d: GpuDetection): GpuDecision {
  if (req.mode === 'off') return { enabled: false, reason: 'GPU disabled (--no-gpu)' };
  const gpus = d.gpus.length;
  if (req.mode === 'auto') {
    if (gpus === 0) return { enabled: false, reason: 'no NVIDIA GPU found' };
    if (!d.toolkit.present) {
      return {
        enabled: false,
        reason: `${gpus} NVIDIA GPU(s) found, but the NVIDIA Container Toolkit is not set up; running without GPU`,
      };
    }
    return { enabled: true, reason: `${gpus} NVIDIA GPU(s) and the Container Toolkit found` };
  }
  if (gpus === 0) {
    throw new NemoclawError(
      'failed',
      '--gpu was requested, but this host has no NVIDIA GPU (nvidia-smi finds none).',
      {
        hint: 'Install the NVIDIA driver so that `nvidia-smi` lists the GPU, or drop --gpu.',
      },
    );
  }
  if (!d.toolkit.present) throw toolkitMissingError();
  if (req.count !== undefined && req.count > gpus) {
    throw new NemoclawError(
      'invalid',
      `--gpu-count ${req.count} asks for more GPUs than this host has (${gpus}).`,
      {
        hint: `Use --gpu-count ${gpus} or less.`,
      },
    );
  }
  return {
    enabled: true,
    count: req.count,
    reason: `GPU requested${req.count ? ` (${req.count})` : ''}; ${gpus} found with the Container Toolkit`,
  };
}

export function toolkitMissingError(cause?: unknown, engineMessage?: string): NemoclawError {
  const said = engineMessage ? ` (the Engine said: ${engineMessage})` : '';
  return new NemoclawError(
    'failed',
    `The Docker Engine cannot give containers a GPU: the NVIDIA Container Toolkit is not installed or not configured${said}.`,
    { hint: TOOLKIT_INSTALL_HINT, cause },
  );
}

/** The Engine's own words when it has no way to satisfy a GPU device request. */
const REFUSALS = [
  /could not select device driver ".*" with capabilities: \[\[gpu\]\]/i,
  /unknown or invalid runtime name: nvidia/i,
  /nvidia-container-cli: .*(initialization error|driver|not found)/i,
  /unresolvable CDI devices/i,
  /failed to inject CDI devices/i,
];

export function isGpuRefusal(message: string): boolean {
  return REFUSALS.some((r) => r.test(message));
}

/** The Docker device request for "all GPUs" (what `--gpus all` sends). */
export function gpuDeviceRequests(count: number | 'all' = 'all'): {
  Driver: string;
  Count: number;
  Capabilities: string[][];
}[] {
  return [{ Driver: '', Count: count === 'all' ? -1 : count, Capabilities: [['gpu']] }];
}
