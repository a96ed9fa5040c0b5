/**
 * The world (house style 1): everything a use case reaches outside the process, built once and
 * lazily by the composition root (src/main.ts). Types only, so use cases import it type-only and a
 * test passes its own (or a `Pick` of it).
 */
import type * as BlueprintFiles from './adapters/blueprint/files.ts';
import type * as BlueprintResolve from './adapters/blueprint/resolve.ts';
import type * as EngineAdapter from './adapters/docker/engine.ts';
import type { DockerEngine } from './adapters/docker/engine.ts';
import type * as GpuProbeAdapter from './adapters/gpu/probe.ts';
import type * as HttpProbe from './adapters/http/probe.ts';
import type * as VersionGate from './adapters/openshell/version-gate.ts';
import type * as ProgressDisplay from './adapters/terminal/progress.ts';
import type { RuleClient } from './adapters/openshell/rules.ts';
import type { OpenshellClient } from './adapters/openshell/types.ts';
import type { Prompter } from './adapters/terminal/prompt.ts';
import type { Preset } from './core/policy/presets.ts';
import type { TiersFile } from './core/policy/schema.ts';
import type { Agent } from './core/registry/schema.ts';

export interface World {
  /** The OpenShell client of a gateway (default `nemoclaw`) and workspace (absent: `default`). */
  openshell(gateway?: string, workspace?: string): Promise<OpenshellClient>;
  /** The client of a registered sandbox: its registry entry's gateway and workspace. */
  sandboxClient(name: string): Promise<OpenshellClient>;
  /** `openshell rule …` (blocked requests) for a registered sandbox, in its workspace. */
  sandboxRules(name: string): Promise<RuleClient>;
  /** One Docker Engine connection (no ping). */
  engine(): Promise<DockerEngine>;
  /** The Engine if it answers a ping within `timeoutMs`, else undefined. */
  answeringEngine(timeoutMs?: number): Promise<DockerEngine | undefined>;
  /** A yes/no question on the terminal; Ctrl-C is a cancellation (exit 130). */
  confirm(message: string): Promise<boolean>;
  prompter(): Promise<Prompter>;
  /** The packaged network policy presets. */
  presets(): Promise<Preset[]>;
  /** The packaged policy tiers (policies/tiers.yaml). */
  tiers(): Promise<TiersFile>;
  /** The packaged baseline policy of an agent, validated. */
  baseline(agent: Agent): Promise<string>;
  /** Blueprints: resolved (packaged, a folder or a URL), verified, listed. */
  blueprints(): Promise<Blueprints>;
  /** HTTP probes of an inference endpoint: its model list, one test request. */
  http(): Promise<Pick<typeof HttpProbe, 'listModels' | 'probeProvider'>>;
  /** The host's GPU probes (nvidia-smi, nvidia-ctk, CDI specs, the Engine's runtimes). */
  gpuProbe(): Promise<GpuProbe>;
  /** Refuses an installed OpenShell outside the blueprint's supported range. */
  checkOpenshellVersion: typeof VersionGate.checkOpenshellVersion;
  /** The step progress display: a spinner on a terminal, else plain lines. */
  progress(
    ...a: Parameters<typeof ProgressDisplay.createProgress>
  ): Promise<ProgressDisplay.Progress>;
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** Test hook (NEMOCLAW_TEST_RUN_ID): labels stamped on every container/image nemoclaw makes. */
  extraLabels?: Record<string, string>;
  /** Test hook (NEMOCLAW_FAULT_PAUSE=<step>:<ms>): pause a rebuild at a step so a test can kill it. */
  faultPause?: string;
}

/** What the world's `blueprints()` offers. */
export type Blueprints = Pick<
  typeof BlueprintResolve,
  | 'listPackagedVersions'
  | 'resolveBlueprint'
  | 'verifyBlueprint'
  | 'verifyOrThrow'
  | 'integrityError'
> &
  Pick<typeof BlueprintFiles, 'loadBlueprintIndex'>;

/** What the world's `gpuProbe()` offers. */
export type GpuProbe = Pick<
  typeof GpuProbeAdapter,
  'queryNvidiaSmi' | 'nvidiaCtkVersion' | 'nvidiaCdiSpecs' | 'CDI_DIRS'
> &
  Pick<typeof EngineAdapter, 'engineFacts'>;

/** The packaged policy files, read and validated on use. */
export type PolicyFiles = Pick<World, 'presets' | 'tiers' | 'baseline'>;

/** What the day-two use cases take. */
export type OpsWorld = Pick<
  World,
  | 'openshell'
  | 'engine'
  | 'confirm'
  | 'prompter'
  | 'sleep'
  | 'extraLabels'
  | 'faultPause'
  | 'blueprints'
  | keyof PolicyFiles
>;
