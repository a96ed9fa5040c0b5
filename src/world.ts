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
import type * as Readyz from './adapters/http/readyz.ts';
import type * as BlueprintManifest from './adapters/blueprint/manifest.ts';
import type * as Inventory from './adapters/docker/inventory.ts';
import type * as Containers from './adapters/docker/containers.ts';
import type * as Images from './adapters/docker/images.ts';
import type * as SandboxContainers from './adapters/docker/sandboxes.ts';
import type * as Push from './adapters/docker/push.ts';
import type * as OverlayContext from './adapters/docker/overlay-context.ts';
import type * as ContextExtras from './adapters/docker/context-extras.ts';
import type * as BuildContext from './adapters/docker/build-context.ts';
import type * as Supervisor from './adapters/docker/supervisor.ts';
import type * as HomeFiles from './adapters/state/home-files.ts';
import type * as JsonFile from './adapters/state/json-file.ts';
import type * as Lock from './adapters/state/lock.ts';
import type * as SandboxRecords from './adapters/state/sandbox-records.ts';
import type * as StateArchive from './adapters/state/archive.ts';
import type * as FingerprintKey from './adapters/state/fingerprint-key.ts';
import type * as Atomic from './adapters/state/atomic.ts';
import type * as UserFile from './adapters/host/user-file.ts';
import type * as BoundedRead from './adapters/host/bounded-read.ts';
import type * as HostTree from './adapters/host/tree.ts';
import type * as PolicyTempfile from './adapters/policy/tempfile.ts';
import type * as SqliteRedact from './adapters/sessions/sqlite-redact.ts';
import type * as HostSystem from './adapters/host/system.ts';
import type * as HostResources from './adapters/host/resources.ts';
import type * as HostPorts from './adapters/host/ports.ts';
import type * as SnapshotStore from './adapters/snapshot/store.ts';
import type * as SnapshotCreate from './adapters/snapshot/create.ts';
import type * as SnapshotRestore from './adapters/snapshot/restore.ts';
import type * as SnapshotArchive from './adapters/snapshot/archive.ts';
import type * as SnapshotTree from './adapters/snapshot/tree.ts';
import type * as SnapshotLitter from './adapters/snapshot/litter.ts';
import type * as AuditStore from './adapters/audit/store.ts';
import type * as Interrupt from './adapters/terminal/interrupt.ts';
import type * as ProgressDisplay from './adapters/terminal/progress.ts';
import type { QuickReader } from './adapters/openshell/quick.ts';
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
  /** A gateway's status and sandbox list through node's child_process (`list`'s startup budget). */
  quickReader(gateway: string, o?: { blocking?: boolean }): Promise<QuickReader>;
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
  /** HTTP probes: an inference endpoint's model list and one test request; a gateway's /readyz. */
  http(): Promise<HttpIo>;
  /** The host's GPU probes (nvidia-smi, nvidia-ctk, CDI specs, the Engine's runtimes). */
  gpuProbe(): Promise<GpuProbe>;
  /** Refuses an installed OpenShell outside the blueprint's supported range. */
  checkOpenshellVersion: typeof VersionGate.checkOpenshellVersion;
  /** The step progress display: a spinner on a terminal, else plain lines. */
  progress(
    ...a: Parameters<typeof ProgressDisplay.createProgress>
  ): Promise<ProgressDisplay.Progress>;
  /** Docker Engine operations beyond the connection; each takes the engine as its first argument. */
  docker(): Promise<DockerIo>;
  /** Files: the nemoclaw home (atomic JSON, locks, records, archives) and the user's own files. */
  files(): Promise<FileIo>;
  /** The snapshot store and the I/O of creating and restoring snapshots. */
  snapshots(): Promise<SnapshotIo>;
  /** Facts about the host: system, memory, disk, LSMs, ports. */
  host(): Promise<HostIo>;
  /** The policy audit log. */
  audit(): Promise<typeof AuditStore>;
  /** Ctrl-C: handlers while a step runs, and activity notes for the interrupt message. */
  interrupts(): Promise<typeof Interrupt>;
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
  Pick<typeof BlueprintFiles, 'loadBlueprintIndex' | 'readYamlFile' | 'readPolicyTexts'> &
  Pick<typeof BlueprintManifest, 'loadAgentManifest'>;

/** What the world's `http()` offers. */
export type HttpIo = Pick<typeof HttpProbe, 'listModels' | 'probeProvider'> &
  Pick<typeof Readyz, 'gatewayReady'>;

/** What the world's `docker()` offers (the adapters/docker modules but the connection). */
export type DockerIo = typeof Inventory &
  typeof Containers &
  typeof Images &
  typeof SandboxContainers &
  typeof Push &
  typeof OverlayContext &
  typeof ContextExtras &
  typeof BuildContext &
  typeof Supervisor &
  Omit<typeof EngineAdapter, 'connectEngine' | 'answeringEngine'>;

/** What the world's `files()` offers. */
export type FileIo = typeof HomeFiles &
  typeof JsonFile &
  typeof Lock &
  typeof SandboxRecords &
  typeof StateArchive &
  typeof FingerprintKey &
  typeof Atomic &
  typeof UserFile &
  typeof BoundedRead &
  typeof HostTree &
  typeof PolicyTempfile &
  typeof SqliteRedact;

/** What the world's `snapshots()` offers. */
export type SnapshotIo = typeof SnapshotStore &
  typeof SnapshotCreate &
  typeof SnapshotRestore &
  typeof SnapshotArchive &
  typeof SnapshotTree &
  typeof SnapshotLitter;

/** What the world's `host()` offers. */
export type HostIo = typeof HostSystem & typeof HostResources & typeof HostPorts;

/** What the world's `gpuProbe()` offers. */
export type GpuProbe = Pick<
  typeof GpuProbeAdapter,
  'queryNvidiaSmi' | 'nvidiaCtkVersion' | 'nvidiaCdiSpecs' | 'CDI_DIRS'
> &
  Pick<typeof EngineAdapter, 'engineFacts'>;

/**
 * The packaged policy files, read and validated on use, and the files area, where a composed
 * policy is written (0600) for `openshell` to read.
 */
export type PolicyFiles = Pick<World, 'presets' | 'tiers' | 'baseline' | 'files'>;

/** What the day-two use cases take. */
export type OpsWorld = Pick<
  World,
  | 'openshell'
  | 'engine'
  | 'docker'
  | 'files'
  | 'host'
  | 'http'
  | 'confirm'
  | 'prompter'
  | 'sleep'
  | 'extraLabels'
  | 'faultPause'
  | 'blueprints'
  | 'snapshots'
  | 'interrupts'
  | keyof PolicyFiles
>;
