import type { DockerEngine } from '../../adapters/docker/engine.ts';
import type { OpenshellClient } from '../../adapters/openshell/types.ts';
import type { Progress } from '../../adapters/terminal/progress.ts';
import type { Prompter } from '../../adapters/terminal/prompt.ts';
import type { ResolvedBlueprint } from '../../adapters/blueprint/resolve.ts';
import type { Context } from '../../context.ts';
import type { OnboardFlags, OnboardIntent } from '../../core/onboard/intent.ts';
import type { Session } from '../../core/onboard/session.ts';
import type { PolicyFiles, World } from '../../world.ts';

export const GATEWAY_NAME = 'nemoclaw';

/** The onboarding flags plus how to run: resume, start fresh, dry run, non-interactive. */
export interface OnboardOptions extends OnboardFlags {
  resume?: boolean;
  fresh?: boolean;
  dryRun?: boolean;
  nonInteractive?: boolean;
}

export interface OnboardDeps
  extends
    PolicyFiles,
    Pick<
      World,
      | 'blueprints'
      | 'http'
      | 'gpuProbe'
      | 'checkOpenshellVersion'
      | 'progress'
      | 'docker'
      | 'files'
      | 'host'
      | 'interrupts'
    > {
  openshell: OpenshellClient;
  /** A client bound to one OpenShell workspace; without it everything goes to `default`. */
  openshellIn?(workspace: string): Promise<OpenshellClient>;
  engine(): Promise<DockerEngine>;
  /** Present in interactive mode only. */
  prompter?: Prompter;
  fetchImpl?: typeof fetch;
  /** Takes a snapshot before a recreate; returns its id. */
  snapshot?(sandbox: string): Promise<string>;
  /** Where the spinner draws (stderr on a terminal); without it progress is plain lines. */
  progressStream?: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  /** Extra labels for everything created (tests add their run id). */
  extraLabels?: Record<string, string>;
}

/** What the steps share while one onboarding runs. */
export interface StepEnv {
  ctx: Context;
  deps: OnboardDeps;
  session: Session;
  intent: OnboardIntent;
  progress: Progress;
  save(): Promise<void>;
  /** Resolved and verified by the blueprint step (re-done on resume: verification precedes use). */
  blueprint?: ResolvedBlueprint & { digest: string };
  /** The provider key, in memory only. */
  apiKey?: string;
}
