/**
 * YAML in, validated data out, with errors that name the YAML path and the line. Parsing keeps
 * the `yaml` Document so that merges edit the tree rather than the text.
 */
import type { Document } from 'yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { INPUT_LIMITS } from '../limits.ts';
import { NemoclawError } from '../errors.ts';
import {
  CustomPolicyFileSchema,
  NetworkPolicyEntrySchema,
  PolicySchema,
  RESERVED_KEY_PREFIX,
  PresetFileSchema,
  TiersFileSchema,
  type CustomPolicyFile,
  type NetworkPolicies,
  type Policy,
  type PresetFile,
  type TiersFile,
} from './schema.ts';

export type YamlPath = readonly (string | number)[];

export interface Problem {
  /** e.g. `network_policies.npm.endpoints[0].host` */
  path: string;
  line?: number;
  col?: number;
  message: string;
}

export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
  data: unknown;
}

const MAX_LISTED = 8;

export function formatYamlPath(path: YamlPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === '' ? '(document)' : out;
}

export function formatProblem(source: string, p: Problem): string {
  const where = p.line !== undefined ? `${source}:${p.line}:${p.col ?? 1}` : source;
  return `${where}: ${p.path}: ${p.message}`;
}

/** An `invalid` error listing each problem on its own line. */
export function problemsError(what: string, source: string, problems: Problem[]): NemoclawError {
  const listed = problems.slice(0, MAX_LISTED).map((p) => `  ${formatProblem(source, p)}`);
  if (problems.length > MAX_LISTED) listed.push(`  … and ${problems.length - MAX_LISTED} more`);
  return new NemoclawError('invalid', `${what} is not valid:\n${listed.join('\n')}`, {
    detail: { source, problems },
  });
}

export function parseYaml(text: string, source: string, what: string): ParsedYaml {
  if (text.length > INPUT_LIMITS.yamlTextBytes)
    throw problemsError(what, source, [
      {
        path: '(yaml)',
        message: `${text.length} characters, more than the ${INPUT_LIMITS.yamlTextBytes} nemoclaw reads`,
      },
    ]);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      return {
        path: '(yaml)',
        line: pos?.line,
        col: pos?.col,
        message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
      };
    });
    throw problemsError(what, source, problems);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: INPUT_LIMITS.yamlAliases });
  } catch (e) {
    // The yaml package refuses an alias bomb (and alias cycles) while expanding: bad input.
    throw problemsError(what, source, [
      {
        path: '(yaml)',
        message: `${(e as Error).message.split('\n')[0]} (at most ${INPUT_LIMITS.yamlAliases} alias expansions)`,
      },
    ]);
  }
  return { doc, lineCounter, data };
}

/** The node at `path`, or the deepest ancestor that exists; `key` selects a map key's node. */
export function nodeAt(doc: Document, path: YamlPath, key = false): Node | undefined {
  let node: unknown = doc.contents;
  let last: Node | undefined = (doc.contents as Node | null) ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return last;
      const wantKey = key && i === path.length - 1;
      node = wantKey ? pair.key : pair.value;
      if (wantKey || !node) return (pair.key as Node) ?? last;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (!node) return last;
    } else {
      return last;
    }
    last = node as Node;
  }
  return last;
}

function locate(parsed: ParsedYaml, path: YamlPath, key = false): { line?: number; col?: number } {
  const node = nodeAt(parsed.doc, path, key);
  const start = node?.range?.[0];
  if (start === undefined) return {};
  const { line, col } = parsed.lineCounter.linePos(start);
  return { line, col };
}

/** zod issues as problems with YAML paths and lines. */
export function zodProblems(parsed: ParsedYaml, error: z.ZodError): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        out.push({
          path: formatYamlPath([...path, k]),
          ...locate(parsed, [...path, k], true),
          message: `unknown key "${k}"`,
        });
      }
      continue;
    }
    // zod's own messages for an absent field ("expected number, received undefined") say less
    // than "is required"; our custom checks already say what is missing.
    const missing =
      issue.code !== 'custom' && path.length > 0 && valueAt(parsed.data, path) === undefined;
    // A record key that fails its check: the key's own message says why.
    const message =
      issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    out.push({
      path: formatYamlPath(path),
      ...locate(parsed, path, missing || issue.code === 'invalid_key'),
      message: missing ? 'is required' : message,
    });
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function valueAt(data: unknown, path: YamlPath): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

export function validateParsed<T>(
  schema: z.ZodType<T>,
  parsed: ParsedYaml,
  source: string,
  what: string,
): T {
  const r = schema.safeParse(parsed.data);
  if (!r.success) throw problemsError(what, source, zodProblems(parsed, r.error));
  return r.data;
}

export interface ParsedPolicy extends ParsedYaml {
  policy: Policy;
}

export function parsePolicy(text: string, source: string, what = 'The policy'): ParsedPolicy {
  const parsed = parseYaml(text, source, what);
  return { ...parsed, policy: validateParsed(PolicySchema, parsed, source, what) };
}

/**
 * The effective policy (`policy get --full`): a policy plus OpenShell's own `_provider_*` entries,
 * which are valid there but never in a policy nemoclaw writes. Returns all network entries.
 */
export function parseEffectivePolicy(
  text: string,
  source: string,
): ParsedPolicy & { networkPolicies: NetworkPolicies } {
  const what = 'The effective policy';
  const parsed = parseYaml(text, source, what);
  const data = parsed.data as Record<string, unknown> | null;
  const all = (data?.network_policies ?? {}) as Record<string, unknown>;
  const own: Record<string, unknown> = {};
  const provider: NetworkPolicies = {};
  const problems: Problem[] = [];
  for (const [k, v] of Object.entries(all && typeof all === 'object' ? all : {})) {
    if (!k.startsWith(RESERVED_KEY_PREFIX)) {
      own[k] = v;
      continue;
    }
    const r = NetworkPolicyEntrySchema.safeParse(v);
    if (r.success) provider[k] = r.data;
    else
      problems.push(
        ...zodProblems(parsed, r.error).map((p) => ({
          ...p,
          path: `network_policies.${k}.${p.path}`,
        })),
      );
  }
  const r = PolicySchema.safeParse(
    data && typeof data === 'object' ? { ...data, network_policies: own } : data,
  );
  if (!r.success) problems.push(...zodProblems(parsed, r.error));
  if (problems.length > 0) throw problemsError(what, source, problems);
  const policy = r.data!;
  return {
    ...parsed,
    policy,
    networkPolicies: { ...(policy.network_policies ?? {}), ...provider },
  };
}

export function parsePresetFile(text: string, source: string): PresetFile {
  const parsed = parseYaml(text, source, 'The preset');
  return validateParsed(PresetFileSchema, parsed, source, 'The preset');
}

export function parseCustomPolicyFile(text: string, source: string): CustomPolicyFile {
  const parsed = parseYaml(text, source, 'The custom policy');
  return validateParsed(CustomPolicyFileSchema, parsed, source, 'The custom policy');
}

export function parseTiersFile(text: string, source: string): TiersFile {
  const parsed = parseYaml(text, source, 'The tiers file');
  return validateParsed(TiersFileSchema, parsed, source, 'The tiers file');
}
