/**
 * What every use case receives (house style 3): the environment, state locations, output channels,
 * the log and the registry. Everything else outside the process comes from the world (src/world.ts).
 */
import type { Logger } from './adapters/log.ts';
import type { StatePaths } from './adapters/state/paths.ts';
import type { RegistryStore } from './adapters/state/registry-store.ts';
import type { Ui } from './adapters/terminal/ui.ts';
import type { Agent } from './core/registry/schema.ts';

export type Env = Record<string, string | undefined>;

export interface Context {
  env: Env;
  cwd: string;
  paths: StatePaths;
  packageRoot: string;
  ui: Ui;
  log: Logger;
  /** `nemohermes` sets hermes; otherwise from --agent / NEMOCLAW_AGENT at onboarding. */
  defaultAgent: Agent;
  /** True with --non-interactive, NEMOCLAW_NON_INTERACTIVE=1, or no TTY on stdin. */
  nonInteractive: boolean;
  now(): Date;
  registry(): RegistryStore;
}
