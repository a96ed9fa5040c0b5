/**
 * The shapes the simulated command tree is declared in (clap 4's args, subcommands, groups), the
 * usage error the parser in args.ts throws, and clap's u16/u32 value parsers.
 */

export type FlagKind = 'bool' | 'value' | 'multi' | 'optional' | 'count';

export interface FlagSpec {
  id: string;
  long?: string;
  short?: string;
  kind: FlagKind;
  valueName?: string;
  choices?: readonly string[];
  /** Returns an error message when the value is invalid. */
  check?: (v: string) => string | undefined;
  default?: string;
  required?: boolean;
  conflicts?: readonly string[];
  requires?: readonly string[];
  /** `overrides_with`: the other flag is cleared instead of conflicting. */
  overrides?: string;
}

export interface PositionalSpec {
  id: string;
  valueName: string;
  required?: boolean;
  multi?: boolean;
  check?: (v: string) => string | undefined;
  conflicts?: readonly string[];
}

export interface LeafSpec {
  flags: FlagSpec[];
  positionals?: PositionalSpec[];
  /** `last`: only after `--` (sandbox create); `var`: trailing_var_arg (sandbox exec). */
  trailing?: {
    id: string;
    mode: 'last' | 'var';
    required?: boolean;
    conflicts?: readonly string[];
  };
  /** Exactly-one-of groups (clap ArgGroup, required, not multiple). */
  groups?: { id: string; members: readonly string[]; required: boolean }[];
  /** A positional that is required unless this flag is given (sandbox delete --all). */
  requiredUnless?: { positional: string; flag: string };
}

export interface NodeSpec {
  name: string;
  aliases?: readonly string[];
  children?: NodeSpec[];
  leaf?: LeafSpec;
  /** False for real subcommands the simulator does not implement. */
  simulated?: boolean;
}

export interface Parsed {
  /** Canonical command path, e.g. ['sandbox', 'create']. */
  path: string[];
  node: NodeSpec;
  flags: Record<string, string | boolean | string[] | number | undefined>;
  /** Flags present on the command line (not defaults). */
  present: Set<string>;
  positionals: Record<string, string | string[] | undefined>;
  trailing: string[];
  global: {
    gateway?: string;
    gatewayEndpoint?: string;
    gatewayInsecure: boolean;
    workspace: string;
    verbose: number;
  };
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {
  readonly usagePath: string[];
  constructor(message: string, usagePath: string[]) {
    super(message);
    this.usagePath = usagePath;
  }
}

/** How clap names a flag in its messages. */
export function display(f: FlagSpec): string {
  const name = f.long ? `--${f.long}` : `-${f.short}`;
  if (f.kind === 'bool' || f.kind === 'count') return name;
  const v = f.valueName ?? f.id.toUpperCase();
  return f.kind === 'optional' ? `${name} [<${v}>]` : `${name} <${v}>`;
}

export function u32(v: string): string | undefined {
  if (!/^\d+$/.test(v)) return 'invalid digit found in string';
  return Number(v) > 4294967295 ? 'number too large to fit in target type' : undefined;
}

export function u16(v: string): string | undefined {
  if (!/^\d+$/.test(v)) return 'invalid digit found in string';
  return Number(v) > 65535 ? 'number too large to fit in target type' : undefined;
}
