/** What the process gives the CLI (types only, so main.ts and program.ts do not import each other). */
import type { Writable } from './adapters/terminal/ui.ts';
import type { Env } from './context.ts';
import type { Agent } from './core/registry/schema.ts';

export interface MainIo {
  argv: string[];
  env: Env;
  cwd: string;
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY: boolean;
  /** `nemohermes` passes 'hermes'. */
  agent?: Agent;
}
