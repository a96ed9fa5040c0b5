/**
 * The local inference server onboarding starts when none answers (product.md §9): which engine a
 * provider means, its container, its model volume, and the URLs each side uses. Pure.
 *
 * Names and port can be overridden (NEMOCLAW_LOCAL_INFERENCE_CONTAINER, _IMAGE, _PORT) so that
 * tests run side by side; the model volume is `<container>-models` and outlives the container, so a
 * rebuild or a re-onboarding does not download the model again. `uninstall --delete-models`
 * removes it (it carries nemoclaw's managed-by label like every other volume nemoclaw creates).
 */
import {
  LOCAL_ENGINE_DEFAULTS,
  type LocalEngineKind,
  type LocalInferenceSpec,
} from './local-inference.ts';

/** Upstream NemoClaw's default Ollama model (bin/lib/local-inference.js). */
export const DEFAULT_OLLAMA_MODEL = 'nemotron-3-nano:30b';
export const DEFAULT_VLLM_MODEL = 'nvidia/NVIDIA-Nemotron-Nano-9B-v2';

export function engineOfProvider(key: string): LocalEngineKind | undefined {
  return key === 'ollama'
    ? 'ollama'
    : key === 'vllm'
      ? 'vllm'
      : key === 'nim-local'
        ? 'nim'
        : undefined;
}

export interface LocalServerPlan {
  spec: LocalInferenceSpec;
  /** Created with the managed-by label when absent; kept across rebuilds. */
  volume: string;
  /** The OpenAI-style base as this host reaches it, and as sandboxes reach it. */
  hostBase: string;
  gatewayBase: string;
  /** The model to pull (Ollama) or serve (vLLM); NIM serves the model of its image. */
  model?: string;
}

export function localServerPlan(
  kind: LocalEngineKind,
  o: {
    env: Record<string, string | undefined>;
    gpu: boolean;
    model?: string;
    /** NIM only; travels in the container's environment, never in argv or files. */
    ngcApiKey?: string;
    labels: Record<string, string>;
  },
): LocalServerPlan {
  const d = LOCAL_ENGINE_DEFAULTS[kind];
  const name = o.env.NEMOCLAW_LOCAL_INFERENCE_CONTAINER?.trim() || `nemoclaw-${kind}`;
  const port = Number(o.env.NEMOCLAW_LOCAL_INFERENCE_PORT?.trim() || d.hostPort);
  const volume = `${name}-models`;
  const model =
    kind === 'ollama'
      ? (o.model ?? DEFAULT_OLLAMA_MODEL)
      : kind === 'vllm'
        ? (o.model ?? DEFAULT_VLLM_MODEL)
        : o.model;
  const env: Record<string, string> = {};
  let cmd: string[] | undefined;
  if (kind === 'ollama') env.OLLAMA_HOST = `0.0.0.0:${d.containerPort}`;
  if (kind === 'vllm') {
    cmd = ['--model', model!, '--host', '0.0.0.0', '--port', String(d.containerPort)];
    const hf = o.env.HF_TOKEN?.trim();
    if (hf) env.HF_TOKEN = hf;
  }
  if (kind === 'nim' && o.ngcApiKey) env.NGC_API_KEY = o.ngcApiKey;
  const spec: LocalInferenceSpec = {
    kind,
    containerName: name,
    image: o.env.NEMOCLAW_LOCAL_INFERENCE_IMAGE?.trim() || d.image,
    containerPort: d.containerPort,
    hostPort: port,
    // Sandboxes come through the Docker bridge (host.openshell.internal), not loopback.
    bindAddress: '0.0.0.0',
    healthPath: d.healthPath,
    gpu: o.gpu,
    env,
    cmd,
    volumes: [{ name: volume, mountPath: d.cacheMount }],
    shmSizeBytes: kind === 'ollama' ? undefined : 16 * 2 ** 30,
    labels: o.labels,
  };
  return {
    spec,
    volume,
    hostBase: `http://127.0.0.1:${port}/v1`,
    gatewayBase: `http://host.openshell.internal:${port}/v1`,
    model,
  };
}

/** One line of Ollama's `/api/pull` stream as progress text, or undefined for nothing new. */
export function pullProgressLine(doc: {
  status?: string;
  total?: number;
  completed?: number;
  error?: string;
}): string | undefined {
  if (doc.error) return `error: ${doc.error}`;
  if (!doc.status) return undefined;
  if (doc.total && doc.completed !== undefined) {
    const pct = Math.floor((doc.completed / doc.total) * 100);
    return `${doc.status} ${pct}% of ${(doc.total / 2 ** 30).toFixed(1)} GiB`;
  }
  return doc.status;
}
