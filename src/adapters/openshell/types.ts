/**
 * The OpenShell client's interface (openshell-contract.md, v0.0.111). One typed function per
 * operation nemoclaw uses. Implemented by client.ts over execa; use cases depend on this type only,
 * so tests can hand in the client pointed at the simulator.
 *
 * Errors: every failure is a NemoclawError whose `kind` says what happened (not-found, conflict,
 * invalid, unavailable, timeout, failed) and whose detail carries the redacted stderr.
 */

export type SandboxPhase =
  | 'Unspecified'
  | 'Provisioning'
  | 'Ready'
  | 'Error'
  | 'Deleting'
  | 'Stopping'
  | 'Stopped'
  | 'Starting'
  | 'Unknown';

export interface GatewayStatus {
  /** connected | connected_http | error | disconnected | not_configured */
  status: string;
  gateway?: string;
  server?: string;
  version?: string;
  error?: string;
  authentication?: { status: string; [k: string]: unknown };
  http_status?: string;
}

export interface GatewayListEntry {
  name: string;
  endpoint: string;
  type: string;
  source: string;
  auth: string;
  active: boolean;
  is_remote: boolean;
}

export interface GatewayInfo {
  gateway: string;
  server: string;
  status: string;
  version?: string;
  compute_drivers?: { name: string }[];
}

export interface ProviderSummary {
  id?: string;
  name: string;
  type: string;
  credential_keys: string[];
  config_keys: string[];
}

export interface InferenceRoute {
  provider: string;
  model: string;
  version?: string;
  timeout?: string;
}

export interface InferenceConfig {
  /** undefined when "Not configured". */
  route?: InferenceRoute;
  system?: InferenceRoute;
}

export interface SandboxSummary {
  id: string;
  name: string;
  phase: SandboxPhase | string;
  created_at: string;
  labels: Record<string, string>;
  current_policy_version?: number;
  /** The OpenShell workspace it lives in (`default` unless nemoclaw gave it its own). */
  workspace?: string;
}

export interface SandboxDetail extends SandboxSummary {
  revision?: number;
  policy_source?: string;
  /** The policy as `sandbox get -o json` prints it: the YAML schema's fields, as JSON. */
  policy?: Record<string, unknown> | null;
}

export interface PolicyView {
  version: number;
  hash: string;
  status: string;
  source?: string;
  configRevision?: number;
  /** The YAML document exactly as OpenShell serialised it (`--full`, or `--base`). */
  yaml?: string;
}

export interface PolicyRevision {
  version: number;
  hash: string;
  status: string;
  created: string;
  error?: string;
}

export interface ForwardEntry {
  sandbox: string;
  bind: string;
  port: number;
  pid?: number;
  status: 'running' | 'dead' | string;
}

export interface CreateSandboxOptions {
  name: string;
  /** An image reference or a Dockerfile path. */
  from: string;
  policyFile?: string;
  providers?: string[];
  /** undefined: no GPU; true: `--gpu` (one); a number: `--gpu N`. */
  gpu?: boolean | number;
  cpu?: string;
  memory?: string;
  env?: Record<string, string>;
  labels?: Record<string, string>;
  autoProviders?: boolean;
  /** The main process; with none OpenShell runs /bin/bash -l. */
  command?: string[];
  timeoutMs?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ProviderCreateOptions {
  name: string;
  type: string;
  /** Names of env vars holding credentials; their values travel only in `env`. */
  credentialEnv?: string[];
  /** Values for those env vars: given to the child process only, never in argv. */
  env?: Record<string, string>;
  config?: Record<string, string>;
}

export interface LogsOptions {
  tail?: number;
  since?: string;
  source?: 'gateway' | 'sandbox' | 'all';
  follow?: boolean;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
}

export interface OpenshellClient {
  /** The binary in use and its parsed version. */
  version(): Promise<{ raw: string; version: string }>;
  status(): Promise<GatewayStatus>;

  gatewayAdd(url: string, o: { name: string; local?: boolean }): Promise<void>;
  gatewaySelect(name: string): Promise<void>;
  gatewayInfo(): Promise<GatewayInfo>;
  gatewayList(): Promise<GatewayListEntry[]>;
  gatewayRemove(name: string): Promise<void>;

  providerCreate(o: ProviderCreateOptions): Promise<void>;
  providerUpdate(o: ProviderCreateOptions): Promise<void>;
  /** undefined when it does not exist. */
  providerGet(name: string): Promise<ProviderSummary | undefined>;
  providerList(): Promise<ProviderSummary[]>;
  providerDelete(name: string): Promise<void>;

  inferenceSet(o: {
    provider: string;
    model: string;
    noVerify?: boolean;
    timeoutSecs?: number;
  }): Promise<void>;
  inferenceGet(): Promise<InferenceConfig>;

  /** `workspace create --name W`; an existing one is fine (idempotent). */
  workspaceCreate(name: string): Promise<'created' | 'exists'>;

  sandboxCreate(o: CreateSandboxOptions): Promise<SandboxDetail>;
  /** undefined when it does not exist. */
  sandboxGet(name: string): Promise<SandboxDetail | undefined>;
  /** `allWorkspaces`: every workspace of the gateway (`--all-workspaces`). */
  sandboxList(o?: { allWorkspaces?: boolean }): Promise<SandboxSummary[]>;
  sandboxDelete(name: string): Promise<void>;
  sandboxStop(name: string): Promise<void>;
  sandboxStart(name: string): Promise<void>;
  /** Returns the remote exit code; never throws for a non-zero one. */
  sandboxExec(
    name: string,
    command: string[],
    o?: { workdir?: string; timeoutSecs?: number; input?: string; env?: Record<string, string> },
  ): Promise<ExecResult>;
  /**
   * Interactive: inherits the terminal; resolves with the exit code. With `input`, the session
   * reads that text instead of the terminal (scripted use and tests).
   */
  sandboxConnect(name: string, o?: { input?: string }): Promise<number>;
  sandboxUpload(name: string, localPath: string, remoteDir?: string): Promise<void>;
  sandboxDownload(name: string, remotePath: string, localDir: string): Promise<void>;

  policySet(
    sandbox: string,
    policyFile: string,
    o?: { wait?: boolean; timeoutSecs?: number },
  ): Promise<{ version?: number; unchanged: boolean }>;
  /** `policy get --full` (or `--base`): metadata plus the YAML; `rev` picks a stored revision. */
  policyGet(sandbox: string, o?: { base?: boolean; rev?: number }): Promise<PolicyView>;
  policyList(sandbox: string): Promise<PolicyRevision[]>;

  /** `background` defaults to true: a foreground forward blocks until it is killed. */
  forwardStart(
    sandbox: string,
    port: number,
    o?: { bind?: string; background?: boolean },
  ): Promise<void>;
  forwardStop(sandbox: string, port: number): Promise<void>;
  forwardList(): Promise<ForwardEntry[]>;

  logs(sandbox: string, o?: LogsOptions): Promise<string[]>;
}
