/**
 * The building blocks of the simulated v0.0.111 command tree (grammar.ts): clap's `--output`
 * flag, leaves, real-but-unsimulated subcommands and the optional NAME positional, as
 * crates/openshell-cli/src/main.rs declares them.
 */
import type { FlagSpec, LeafSpec, NodeSpec } from './args.ts';

export const OUTPUT = ['table', 'yaml', 'json'] as const;
export const output = (choices: readonly string[] = OUTPUT, conflicts?: string[]): FlagSpec => ({
  id: 'output',
  long: 'output',
  short: 'o',
  kind: 'value',
  valueName: 'OUTPUT',
  choices,
  default: 'table',
  conflicts,
});

export function gpuCount(v: string): string | undefined {
  if (!/^\d+$/.test(v)) return 'GPU count must be a positive integer';
  return Number(v) === 0 ? 'GPU count must be greater than 0' : undefined;
}

export const leaf = (name: string, spec: LeafSpec, aliases?: string[]): NodeSpec => ({
  name,
  aliases,
  leaf: spec,
  simulated: true,
});
export const unsimulated = (name: string, aliases?: string[]): NodeSpec => ({
  name,
  aliases,
  leaf: { flags: [] },
  simulated: false,
});
export const optName = (valueName = 'NAME') => [{ id: 'name', valueName }];
