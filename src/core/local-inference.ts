/**
 * Local inference servers (Ollama, vLLM, NIM) as containers: what each needs and the container
 * spec, with a GPU device request when the GPU is used. Pure.
 */
import { gpuDeviceRequests } from './gpu.ts';
import { MANAGED_BY_LABEL } from './gateway-plan.ts';

export type LocalEngineKind = 'ollama' | 'vllm' | 'nim';

export interface LocalInferenceSpec {
  kind: LocalEngineKind | string;
  containerName: string;
  image: string;
  /** Port inside the container. */
  containerPort: number;
  /** Port on the host; sandboxes reach it as host.openshell.internal:<hostPort>. */
  hostPort: number;
  /** Which host address to bind; sandboxes come through the Docker bridge, so loopback alone is not enough. */
  bindAddress: string;
  /** Answered with 2xx once the server can take requests. */
  healthPath: string;
  gpu: boolean;
  env?: Record<string, string>;
  cmd?: string[];
  /** For model caches, so a restart does not download again. */
  volumes?: { name: string; mountPath: string }[];
  shmSizeBytes?: number;
  labels?: Record<string, string>;
}

export const LOCAL_ENGINE_DEFAULTS: Record<
  LocalEngineKind,
  { image: string; containerPort: number; hostPort: number; healthPath: string; cacheMount: string }
> = {
  ollama: {
    image: 'ollama/ollama:0.12.6',
    containerPort: 11434,
    hostPort: 11434,
    healthPath: '/api/tags',
    cacheMount: '/root/.ollama',
  },
  vllm: {
    image: 'vllm/vllm-openai:v0.11.0',
    containerPort: 8000,
    hostPort: 8000,
    healthPath: '/v1/models',
    cacheMount: '/root/.cache/huggingface',
  },
  nim: {
    image: 'nvcr.io/nim/nvidia/llama-3.1-8b-instruct:latest',
    containerPort: 8000,
    hostPort: 8000,
    healthPath: '/v1/models',
    cacheMount: '/opt/nim/.cache',
  },
};

export function localInferenceContainerSpec(s: LocalInferenceSpec) {
  const cport = `${s.containerPort}/tcp`;
  return {
    name: s.containerName,
    Image: s.image,
    Cmd: s.cmd,
    Env: Object.entries(s.env ?? {}).map(([k, v]) => `${k}=${v}`),
    Labels: {
      [MANAGED_BY_LABEL]: 'nemoclaw',
      'ai.nvidia.nemoclaw.role': `inference-${s.kind}`,
      ...s.labels,
    },
    ExposedPorts: { [cport]: {} },
    HostConfig: {
      // No restart while it loads: a crash must stay a crash, with its exit code and logs, instead of
      // a restart loop that resets both. The usecase sets SERVING_RESTART_POLICY once it answers.
      RestartPolicy: { Name: 'no' },
      PortBindings: { [cport]: [{ HostIp: s.bindAddress, HostPort: String(s.hostPort) }] },
      Binds: (s.volumes ?? []).map((v) => `${v.name}:${v.mountPath}`),
      ...(s.shmSizeBytes ? { ShmSize: s.shmSizeBytes } : {}),
      ...(s.gpu ? { DeviceRequests: gpuDeviceRequests('all') } : {}),
    },
  };
}

/** Once healthy it survives reboots and Engine restarts, like the gateway. */
export const SERVING_RESTART_POLICY = 'unless-stopped';

/** Where the host itself probes the server. */
export function healthUrl(s: LocalInferenceSpec): string {
  const host = s.bindAddress === '0.0.0.0' ? '127.0.0.1' : s.bindAddress;
  return `http://${host}:${s.hostPort}${s.healthPath}`;
}
