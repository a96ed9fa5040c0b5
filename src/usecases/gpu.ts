/**
 * GPU detection (product.md §11): the GPUs nvidia-smi lists, and whether the NVIDIA Container
 * Toolkit lets the Engine hand them to containers (nvidia-ctk, CDI specs, Engine runtimes).
 */
import type { DockerEngine } from '../adapters/docker/engine.ts';
import type { GpuProbe } from '../world.ts';
import {
  decideGpu,
  toolkitPresence,
  type GpuDecision,
  type GpuDetection,
  type GpuRequest,
} from '../core/gpu.ts';

export interface GpuDeps {
  /** The host probes (the world's `gpuProbe()`). */
  probe: GpuProbe;
  env: Record<string, string | undefined>;
  /** When given, its runtimes count as toolkit evidence. */
  engine?: DockerEngine;
  /** Engine runtimes already read (saves a second `info` call in preflight). */
  engineRuntimes?: string[];
  cdiDirs?: string[];
}

export async function detectGpu(deps: GpuDeps): Promise<GpuDetection> {
  const { queryNvidiaSmi, nvidiaCtkVersion, nvidiaCdiSpecs, CDI_DIRS, engineFacts } = deps.probe;
  const smi = await queryNvidiaSmi(deps.env);
  // Without a GPU the toolkit does not matter; skip the slower probes.
  if (smi.gpus.length === 0) {
    return { gpus: [], toolkit: { cdiSpecs: [], engineRuntimes: [], present: false, via: [] } };
  }
  const [ctk, cdi, runtimes] = await Promise.all([
    nvidiaCtkVersion(deps.env),
    nvidiaCdiSpecs(deps.cdiDirs ?? CDI_DIRS),
    deps.engineRuntimes
      ? Promise.resolve(deps.engineRuntimes)
      : deps.engine
        ? engineFacts(deps.engine).then(
            (f) => f.runtimes,
            () => [] as string[],
          )
        : Promise.resolve([] as string[]),
  ]);
  const facts = { nvidiaCtk: ctk, cdiSpecs: cdi, engineRuntimes: runtimes };
  return { gpus: smi.gpus, toolkit: { ...facts, ...toolkitPresence(facts) } };
}

/** Detects and decides; throws the install-steps error when `--gpu` cannot be honoured. */
export async function resolveGpu(
  deps: GpuDeps,
  req: GpuRequest,
): Promise<GpuDecision & { detection: GpuDetection }> {
  if (req.mode === 'off')
    return { ...decideGpu(req, emptyDetection()), detection: emptyDetection() };
  const detection = await detectGpu(deps);
  return { ...decideGpu(req, detection), detection };
}

function emptyDetection(): GpuDetection {
  return { gpus: [], toolkit: { cdiSpecs: [], engineRuntimes: [], present: false, via: [] } };
}
