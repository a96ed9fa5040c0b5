/**
 * A small clap-like argv parser: the simulator must reject what the real CLI (clap 4) rejects,
 * with exit 2, so nemoclaw cannot pass tests while sending argv the real binary refuses.
 *
 * What it enforces: unknown subcommands and flags, flags on the wrong subcommand, missing values,
 * repeated single-use flags, value enums and number parsing, required flags and positionals,
 * argument groups, `conflicts_with`, `requires`, `-- CMD` only where a trailing command exists.
 * Global flags are accepted at any position before `--`.
 */
import {
  UsageError,
  display,
  type FlagSpec,
  type LeafSpec,
  type NodeSpec,
  type Parsed,
} from './args-spec.ts';

// The command tree's types and the value checks live in args-spec.ts; re-exported for the tree.
export * from './args-spec.ts';

const GLOBAL_FLAGS: FlagSpec[] = [
  { id: 'gateway', long: 'gateway', short: 'g', kind: 'value', valueName: 'GATEWAY' },
  {
    id: 'gateway_endpoint',
    long: 'gateway-endpoint',
    kind: 'value',
    valueName: 'GATEWAY_ENDPOINT',
  },
  { id: 'gateway_insecure', long: 'gateway-insecure', kind: 'bool' },
  { id: 'workspace', long: 'workspace', kind: 'value', valueName: 'WORKSPACE' },
  { id: 'verbose', long: 'verbose', short: 'v', kind: 'count' },
  { id: 'help', long: 'help', short: 'h', kind: 'bool' },
  { id: 'version', long: 'version', short: 'V', kind: 'bool' },
];

function looksLikeFlag(tok: string): boolean {
  return tok.startsWith('-') && tok !== '-' && !/^-\d/.test(tok);
}

export function parseArgv(root: NodeSpec, argv: string[]): Parsed {
  let node = root;
  const path: string[] = [];
  const flags: Parsed['flags'] = {};
  const present = new Set<string>();
  const globalSeen = new Set<string>();
  const positionals: Parsed['positionals'] = {};
  let trailing: string[] = [];
  let positionalIndex = 0;
  // `--workspace` has env OPENSHELL_WORKSPACE, default `default`; empty means `default` (main.rs).
  const envWs = process.env.OPENSHELL_WORKSPACE || 'default';
  const g: Parsed['global'] = { gatewayInsecure: false, workspace: envWs, verbose: 0 };
  let help = false;
  let version = false;
  const err = (m: string) => new UsageError(m, path);

  const leafFlags = (): FlagSpec[] => node.leaf?.flags ?? [];

  const findLong = (name: string): { spec: FlagSpec; global: boolean } | undefined => {
    const l = leafFlags().find((f) => f.long === name);
    if (l) return { spec: l, global: false };
    const gl = GLOBAL_FLAGS.find((f) => f.long === name);
    return gl ? { spec: gl, global: true } : undefined;
  };
  const findShort = (c: string): { spec: FlagSpec; global: boolean } | undefined => {
    const l = leafFlags().find((f) => f.short === c);
    if (l) return { spec: l, global: false };
    const gl = GLOBAL_FLAGS.find((f) => f.short === c);
    return gl ? { spec: gl, global: true } : undefined;
  };

  const checkValue = (spec: FlagSpec, v: string): void => {
    if (spec.choices && !spec.choices.includes(v)) {
      throw err(
        `invalid value '${v}' for '${display(spec)}'\n  [possible values: ${spec.choices.join(', ')}]`,
      );
    }
    const problem = spec.check?.(v);
    if (problem) throw err(`invalid value '${v}' for '${display(spec)}': ${problem}`);
  };

  const setGlobal = (spec: FlagSpec, value: string | undefined): void => {
    if (spec.kind !== 'count' && globalSeen.has(spec.id)) {
      throw err(`the argument '${display(spec)}' cannot be used multiple times`);
    }
    globalSeen.add(spec.id);
    switch (spec.id) {
      case 'gateway':
        g.gateway = value;
        break;
      case 'gateway_endpoint':
        g.gatewayEndpoint = value;
        break;
      case 'gateway_insecure':
        g.gatewayInsecure = true;
        break;
      case 'workspace':
        g.workspace = value || 'default';
        break;
      case 'verbose':
        g.verbose++;
        break;
      case 'help':
        help = true;
        break;
      case 'version':
        version = true;
        break;
    }
  };

  const setLeaf = (spec: FlagSpec, value: string | undefined): void => {
    if (spec.kind === 'multi') {
      checkValue(spec, value!);
      const list = (flags[spec.id] as string[] | undefined) ?? [];
      list.push(value!);
      flags[spec.id] = list;
    } else {
      if (present.has(spec.id)) {
        throw err(`the argument '${display(spec)}' cannot be used multiple times`);
      }
      if (spec.kind === 'bool') flags[spec.id] = true;
      else {
        if (!(spec.kind === 'optional' && value === '')) checkValue(spec, value!);
        flags[spec.id] = value;
      }
    }
    present.add(spec.id);
    if (spec.overrides) {
      present.delete(spec.overrides);
      flags[spec.overrides] = undefined;
    }
  };

  const apply = (found: { spec: FlagSpec; global: boolean }, value: string | undefined) =>
    found.global ? setGlobal(found.spec, value) : setLeaf(found.spec, value);

  let i = 0;
  while (i < argv.length) {
    const tok = argv[i]!;
    if (tok === '--') {
      const t = node.leaf?.trailing;
      if (!t) {
        if (argv.length > i + 1) throw err(`unexpected argument '${argv[i + 1]}' found`);
        i++;
        continue;
      }
      trailing = argv.slice(i + 1);
      break;
    }
    if (tok.startsWith('--')) {
      const eq = tok.indexOf('=');
      const name = eq === -1 ? tok.slice(2) : tok.slice(2, eq);
      const inline = eq === -1 ? undefined : tok.slice(eq + 1);
      const found = findLong(name);
      if (!found) throw err(`unexpected argument '--${name}' found`);
      const kind = found.spec.kind;
      if (kind === 'bool' || kind === 'count') {
        if (inline !== undefined) {
          throw err(
            `unexpected value '${inline}' for '${display(found.spec)}' found; no more were expected`,
          );
        }
        apply(found, undefined);
        i++;
      } else if (kind === 'optional') {
        if (inline !== undefined) {
          apply(found, inline);
          i++;
        } else if (i + 1 < argv.length && !looksLikeFlag(argv[i + 1]!) && argv[i + 1] !== '--') {
          apply(found, argv[i + 1]);
          i += 2;
        } else {
          apply(found, '');
          i++;
        }
      } else if (inline !== undefined) {
        apply(found, inline);
        i++;
      } else {
        const next = argv[i + 1];
        if (next === undefined || looksLikeFlag(next) || next === '--') {
          throw err(`a value is required for '${display(found.spec)}' but none was supplied`);
        }
        apply(found, next);
        i += 2;
      }
      continue;
    }
    if (looksLikeFlag(tok)) {
      // Short flags, possibly combined (-vv) or with an attached value (-gNAME, -g=NAME).
      let j = 1;
      let consumedNext = false;
      while (j < tok.length) {
        const c = tok[j]!;
        const found = findShort(c);
        if (!found) throw err(`unexpected argument '-${c}' found`);
        const kind = found.spec.kind;
        if (kind === 'bool' || kind === 'count') {
          apply(found, undefined);
          j++;
          continue;
        }
        let rest = tok.slice(j + 1);
        if (rest.startsWith('=')) rest = rest.slice(1);
        if (rest.length > 0) apply(found, rest);
        else {
          const next = argv[i + 1];
          if (next === undefined || looksLikeFlag(next) || next === '--') {
            throw err(`a value is required for '${display(found.spec)}' but none was supplied`);
          }
          apply(found, next);
          consumedNext = true;
        }
        break;
      }
      i += consumedNext ? 2 : 1;
      continue;
    }
    // A word: a subcommand, a positional, or the start of a trailing command.
    if (node.children) {
      const child = node.children.find((c) => c.name === tok || c.aliases?.includes(tok));
      if (!child) throw err(`unrecognized subcommand '${tok}'`);
      node = child;
      path.push(child.name);
      i++;
      // A real command the simulator does not implement: stop here, the caller reports it.
      if (child.simulated === false) break;
      continue;
    }
    const leaf = node.leaf;
    const specs = leaf?.positionals ?? [];
    const spec = specs[positionalIndex];
    if (!spec) {
      if (leaf?.trailing?.mode === 'var') {
        trailing = argv.slice(i);
        break;
      }
      throw err(`unexpected argument '${tok}' found`);
    }
    const problem = spec.check?.(tok);
    if (problem) throw err(`invalid value '${tok}' for '<${spec.valueName}>': ${problem}`);
    if (spec.multi) {
      const list = (positionals[spec.id] as string[] | undefined) ?? [];
      list.push(tok);
      positionals[spec.id] = list;
    } else {
      positionals[spec.id] = tok;
      positionalIndex++;
    }
    i++;
  }

  const parsed: Parsed = {
    path,
    node,
    flags,
    present,
    positionals,
    trailing,
    global: g,
    help,
    version,
  };
  if (help || version || !node.leaf || node.simulated === false) return parsed;
  validateLeaf(node.leaf, parsed, err);
  return parsed;
}

function validateLeaf(leaf: LeafSpec, p: Parsed, err: (m: string) => UsageError): void {
  const byId = new Map(leaf.flags.map((f) => [f.id, f]));
  const label = (id: string): string => {
    const f = byId.get(id);
    if (f) return display(f);
    const pos = leaf.positionals?.find((x) => x.id === id);
    if (pos) return `<${pos.valueName}>`;
    if (leaf.trailing?.id === id) return `[-- <${id.toUpperCase()}>...]`;
    return id;
  };
  const isPresent = (id: string): boolean =>
    p.present.has(id) ||
    (p.positionals[id] !== undefined &&
      !(Array.isArray(p.positionals[id]) && (p.positionals[id] as string[]).length === 0)) ||
    (leaf.trailing?.id === id && p.trailing.length > 0);

  const missing: string[] = [];
  for (const f of leaf.flags) if (f.required && !p.present.has(f.id)) missing.push(display(f));
  for (const pos of leaf.positionals ?? []) {
    const unless = leaf.requiredUnless;
    if (unless?.positional === pos.id && p.present.has(unless.flag)) continue;
    if (pos.required && !isPresent(pos.id)) missing.push(`<${pos.valueName}>`);
  }
  if (leaf.trailing?.required && p.trailing.length === 0) {
    missing.push(`<${leaf.trailing.id.toUpperCase()}>...`);
  }
  for (const grp of leaf.groups ?? []) {
    const given = grp.members.filter(isPresent);
    if (grp.required && given.length === 0) {
      missing.push(`<${grp.members.map(label).join('|')}>`);
    }
    if (given.length > 1) {
      throw err(`the argument '${label(given[0]!)}' cannot be used with '${label(given[1]!)}'`);
    }
  }
  if (missing.length > 0) {
    throw err(`the following required arguments were not provided:\n  ${missing.join('\n  ')}`);
  }
  const conflictSources: { id: string; conflicts: readonly string[] }[] = [
    ...leaf.flags.map((f) => ({ id: f.id, conflicts: f.conflicts ?? [] })),
    ...(leaf.positionals ?? []).map((x) => ({ id: x.id, conflicts: x.conflicts ?? [] })),
  ];
  if (leaf.trailing) {
    conflictSources.push({ id: leaf.trailing.id, conflicts: leaf.trailing.conflicts ?? [] });
  }
  for (const src of conflictSources) {
    if (!isPresent(src.id)) continue;
    for (const other of src.conflicts) {
      if (isPresent(other)) {
        throw err(`the argument '${label(src.id)}' cannot be used with '${label(other)}'`);
      }
    }
  }
  for (const f of leaf.flags) {
    if (!p.present.has(f.id)) continue;
    for (const r of f.requires ?? []) {
      if (!isPresent(r)) {
        throw err(`the following required arguments were not provided:\n  ${label(r)}`);
      }
    }
  }
  for (const f of leaf.flags) {
    if (!p.present.has(f.id) && f.default !== undefined) p.flags[f.id] = f.default;
  }
}
