/**
 * Inference providers (product.md §9). `credentialKey` is the key OpenShell's provider type reads
 * (the router sends it upstream); `userEnv` is where the user supplies the value. They differ for
 * Gemini and the compatible endpoints, which OpenShell serves with its `openai` type.
 */

export type ProviderKey =
  | 'build'
  | 'openai'
  | 'anthropic'
  | 'gemini'
  | 'custom'
  | 'anthropicCompatible'
  | 'ollama'
  | 'vllm'
  | 'nim-local';

export type ApiShape = 'openai' | 'anthropic';

export interface ProviderSpec {
  key: ProviderKey;
  label: string;
  /** The OpenShell provider name and type. */
  openshellName: string;
  openshellType: 'nvidia' | 'openai' | 'anthropic';
  /** The credential key OpenShell stores; undefined for local providers. */
  credentialKey?: string;
  /** Where the user supplies the credential. */
  userEnv?: string;
  /** The config key carrying the base URL for OpenShell, when it is not the type's default. */
  baseUrlConfigKey?: 'OPENAI_BASE_URL' | 'ANTHROPIC_BASE_URL' | 'NVIDIA_BASE_URL';
  /** The base URL as the gateway sees it; undefined = the user supplies it. */
  baseUrl?: string;
  /** The base URL as this host sees it, for validation (local providers). */
  hostBaseUrl?: string;
  defaultModel?: string;
  api: ApiShape;
  local: boolean;
  experimental: boolean;
  /** The blueprint inference profile it corresponds to. */
  profile: string;
}

export const PROVIDERS: readonly ProviderSpec[] = [
  {
    key: 'build',
    label: 'NVIDIA Endpoints (build.nvidia.com)',
    openshellName: 'nvidia-prod',
    openshellType: 'nvidia',
    credentialKey: 'NVIDIA_API_KEY',
    userEnv: 'NVIDIA_API_KEY',
    baseUrlConfigKey: 'NVIDIA_BASE_URL',
    baseUrl: 'https://integrate.api.nvidia.com/v1',
    defaultModel: 'nvidia/nemotron-3-super-120b-a12b',
    api: 'openai',
    local: false,
    experimental: false,
    profile: 'default',
  },
  {
    key: 'openai',
    label: 'OpenAI',
    openshellName: 'openai-api',
    openshellType: 'openai',
    credentialKey: 'OPENAI_API_KEY',
    userEnv: 'OPENAI_API_KEY',
    baseUrlConfigKey: 'OPENAI_BASE_URL',
    baseUrl: 'https://api.openai.com/v1',
    defaultModel: 'gpt-5.4',
    api: 'openai',
    local: false,
    experimental: false,
    profile: 'default',
  },
  {
    key: 'anthropic',
    label: 'Anthropic',
    openshellName: 'anthropic-prod',
    openshellType: 'anthropic',
    credentialKey: 'ANTHROPIC_API_KEY',
    userEnv: 'ANTHROPIC_API_KEY',
    baseUrlConfigKey: 'ANTHROPIC_BASE_URL',
    baseUrl: 'https://api.anthropic.com',
    defaultModel: 'claude-sonnet-4-6',
    api: 'anthropic',
    local: false,
    experimental: false,
    profile: 'default',
  },
  {
    key: 'gemini',
    label: 'Google Gemini (OpenAI-compatible)',
    openshellName: 'gemini-api',
    openshellType: 'openai',
    credentialKey: 'OPENAI_API_KEY',
    userEnv: 'GEMINI_API_KEY',
    baseUrlConfigKey: 'OPENAI_BASE_URL',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai/',
    defaultModel: 'gemini-2.5-flash',
    api: 'openai',
    local: false,
    experimental: false,
    profile: 'default',
  },
  {
    key: 'custom',
    label: 'Other OpenAI-compatible endpoint',
    openshellName: 'compatible-endpoint',
    openshellType: 'openai',
    credentialKey: 'OPENAI_API_KEY',
    userEnv: 'COMPATIBLE_API_KEY',
    baseUrlConfigKey: 'OPENAI_BASE_URL',
    api: 'openai',
    local: false,
    experimental: false,
    profile: 'ncp',
  },
  {
    key: 'anthropicCompatible',
    label: 'Other Anthropic-compatible endpoint',
    openshellName: 'compatible-anthropic-endpoint',
    openshellType: 'anthropic',
    credentialKey: 'ANTHROPIC_API_KEY',
    userEnv: 'COMPATIBLE_ANTHROPIC_API_KEY',
    baseUrlConfigKey: 'ANTHROPIC_BASE_URL',
    api: 'anthropic',
    local: false,
    experimental: false,
    profile: 'ncp',
  },
  {
    key: 'ollama',
    label: 'Local Ollama',
    openshellName: 'ollama-local',
    openshellType: 'openai',
    baseUrlConfigKey: 'OPENAI_BASE_URL',
    baseUrl: 'http://host.openshell.internal:11434/v1',
    hostBaseUrl: 'http://127.0.0.1:11434/v1',
    api: 'openai',
    local: true,
    experimental: false,
    profile: 'ollama',
  },
  {
    key: 'vllm',
    label: 'Local vLLM (experimental)',
    openshellName: 'vllm-local',
    openshellType: 'openai',
    baseUrlConfigKey: 'OPENAI_BASE_URL',
    baseUrl: 'http://host.openshell.internal:8000/v1',
    hostBaseUrl: 'http://127.0.0.1:8000/v1',
    api: 'openai',
    local: true,
    experimental: true,
    profile: 'vllm',
  },
  {
    key: 'nim-local',
    label: 'Local NVIDIA NIM (experimental)',
    openshellName: 'nvidia-nim',
    openshellType: 'openai',
    baseUrlConfigKey: 'OPENAI_BASE_URL',
    baseUrl: 'http://host.openshell.internal:8000/v1',
    hostBaseUrl: 'http://127.0.0.1:8000/v1',
    api: 'openai',
    local: true,
    experimental: true,
    profile: 'nim-local',
  },
];

/** Names users type that mean a provider key (reference aliases). */
const ALIASES: Record<string, ProviderKey> = {
  cloud: 'build',
  nvidia: 'build',
  nim: 'nim-local',
  'anthropic-compatible': 'anthropicCompatible',
  compatible: 'custom',
};

export function findProvider(input: string): ProviderSpec | undefined {
  const key = ALIASES[input] ?? input;
  return PROVIDERS.find((p) => p.key === key);
}

export function availableProviders(experimental: boolean): ProviderSpec[] {
  return PROVIDERS.filter((p) => experimental || !p.experimental);
}

/** Models: what OpenShell and the reference accept. */
export const MODEL_RE = /^[A-Za-z0-9._:/-]+$/;

/** The local placeholder credential for providers that need none (OpenShell's openai type wants one). */
export const LOCAL_PLACEHOLDER_KEY = 'nemoclaw-local-no-key';
