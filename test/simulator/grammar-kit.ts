/**
 * The one builder of the simulated v0.0.111 command tree (grammar*.ts): flags, positionals,
 * leaves, real-but-unsimulated subcommands and clap's `--output` flag, as
 * crates/openshell-cli/src/main.rs declares them. Each grammar file is then a table of calls.
 *
 * clap derives an arg's id from its field name and its value name from the id in capitals
 * (`--no-git-ignore` is `no_git_ignore`, `--label-selector` shows `<LABEL_SELECTOR>`), so a flag
 * is named once here; `valueName` is given only where main.rs sets `value_name`.
 */
import type { FlagKind, FlagSpec, LeafSpec, NodeSpec, PositionalSpec } from './args.ts';
import { u32 } from './args.ts';

/** What a flag may add to its kind, long name, id and value name. */
type More = Omit<FlagSpec, 'id' | 'long' | 'kind'>;

const idOf = (long: string) => long.replaceAll('-', '_');
const flag =
  (kind: FlagKind) =>
  (long: string, more: More = {}): FlagSpec => ({
    id: idOf(long),
    long,
    kind,
    ...(kind === 'bool' ? {} : { valueName: idOf(long).toUpperCase() }),
    ...more,
  });

/** `--x` (a switch). */
export const bool = flag('bool');
/** `--x <X>` (once). */
export const value = flag('value');
/** `--x <X>` (repeatable, `ArgAction::Append`). */
export const multi = flag('multi');
/** `--x [<X>]` (`num_args = 0..=1`). */
export const optional = flag('optional');
/** A required `--x <X>`. */
export const required = (long: string, more: More = {}) => value(long, { required: true, ...more });
/** A `u32` value with its default (`--limit`, `--timeout`, `--rev`). */
export const number = (long: string, dflt: string, more: More = {}) =>
  value(long, { check: u32, default: dflt, ...more });
/** The paging pair of the list commands. */
export const page = (limit: string): FlagSpec[] => [number('limit', limit), number('offset', '0')];

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

/** A positional; its value name is the id in capitals unless given. */
export const arg = (
  id: string,
  more: Partial<Omit<PositionalSpec, 'id'>> = {},
): PositionalSpec => ({
  id,
  valueName: id.toUpperCase(),
  ...more,
});
/** A required positional. */
export const req = (id: string, more: Partial<Omit<PositionalSpec, 'id'>> = {}) =>
  arg(id, { required: true, ...more });
export const optName = (valueName = 'NAME') => [arg('name', { valueName })];

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
/** A real subcommand the simulator does not implement (its flags only show in help). */
export const unsimulated = (
  name: string,
  aliases?: string[],
  flags: FlagSpec[] = [],
): NodeSpec => ({
  name,
  aliases,
  leaf: { flags },
  simulated: false,
});
export const node = (name: string, children: NodeSpec[], aliases?: string[]): NodeSpec => ({
  name,
  aliases,
  children,
});
