/**
 * Structural policy merge (product.md §7): parse the live policy, replace or add a preset's
 * `network_policies` keys (or delete exactly them), keep every other section as it was, ensure
 * `version: 1`, and validate the result. The edit happens on the YAML tree, never on the text.
 */
import { isMap, type Document } from 'yaml';
import { NemoclawError } from '../errors.ts';
import { parsePolicy, parseYaml } from './parse.ts';
import {
  RESERVED_KEY_PREFIX,
  STATIC_SECTIONS,
  type NetworkPolicies,
  type NetworkPolicyEntry,
} from './schema.ts';

/** A named set of `network_policies` entries: a preset or a custom policy. */
export interface PolicyPatch {
  name: string;
  entries: NetworkPolicies;
}

export type PolicyChange =
  { kind: 'add'; patch: PolicyPatch } | { kind: 'remove'; name: string; keys: string[] };

export interface MergeResult {
  /** The live policy as nemoclaw would re-send it unchanged (reserved keys out, version in). */
  before: string;
  /** The policy to `policy set`. */
  after: string;
  /** True when the network entries change; false means nothing to apply. */
  changed: boolean;
  added: string[];
  replaced: string[];
  removed: string[];
  /** Keys a patch sets to what they already are. */
  unchanged: string[];
  /** Keys a removal names that the live policy does not have. */
  absent: string[];
  /** OpenShell's provider entries (`_provider_*`), which it composes itself and refuses in `set`. */
  strippedReserved: string[];
  versionAdded: boolean;
}

/**
 * Applies changes to the live policy text. Throws `invalid` (exit 2) when a patch is invalid, and
 * `failed` when the live policy cannot be parsed or validated: changing a policy nemoclaw cannot
 * read could drop what is in it, so it refuses (fail closed).
 */
export function applyPolicyChanges(
  liveYaml: string,
  changes: PolicyChange[],
  source = 'the live policy',
): MergeResult {
  let doc: Document;
  try {
    doc = parseYaml(liveYaml, source, 'The live policy').doc;
  } catch (e) {
    throw refuse(source, e);
  }
  if (!isMap(doc.contents)) {
    throw refuse(source, new Error('it is not a YAML mapping'));
  }
  const strippedReserved = stripReserved(doc);
  const versionAdded = ensureVersion(doc);
  const before = render(doc);
  let beforeData;
  try {
    beforeData = parsePolicy(before, source, 'The live policy').policy;
  } catch (e) {
    throw refuse(source, e);
  }

  const r = {
    added: [] as string[],
    replaced: [] as string[],
    removed: [] as string[],
    unchanged: [] as string[],
    absent: [] as string[],
  };
  for (const change of changes) {
    if (change.kind === 'add') addEntries(doc, change.patch, r);
    else removeEntries(doc, change.keys, r);
  }
  const after = render(doc);
  // What we send must pass the same checks OpenShell runs, and must not touch static sections.
  const afterData = parsePolicy(after, 'the merged policy', 'The merged policy').policy;
  for (const s of STATIC_SECTIONS) {
    if (canonical(beforeData[s]) !== canonical(afterData[s])) {
      throw new NemoclawError(
        'failed',
        `Internal error: the merge changed the static section ${s}.`,
      );
    }
  }
  const changed = r.added.length + r.replaced.length + r.removed.length > 0;
  return { before, after, changed, ...r, strippedReserved, versionAdded };
}

/** A full policy: a baseline plus patches (sandbox create, rebuild). */
export function composePolicy(
  baselineYaml: string,
  patches: PolicyPatch[],
  source?: string,
): string {
  return applyPolicyChanges(
    baselineYaml,
    patches.map((patch) => ({ kind: 'add', patch })),
    source ?? 'the baseline policy',
  ).after;
}

function refuse(source: string, cause: unknown): NemoclawError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new NemoclawError(
    'failed',
    `Cannot read ${source}, so nemoclaw will not change it (a change could drop what it holds): ${why}`,
    {
      cause,
      hint: 'Check `openshell policy get --full <sandbox>`; fix or reset the policy, then retry.',
    },
  );
}

function render(doc: Document): string {
  return doc.toString({ lineWidth: 0, indentSeq: true, flowCollectionPadding: false });
}

function networkMap(doc: Document, create: boolean) {
  let node = doc.get('network_policies', true);
  if ((!node || !isMap(node)) && create) {
    node = doc.createNode({});
    doc.set('network_policies', node);
  }
  if (node && isMap(node)) {
    // `network_policies: {}` is a flow map; entries added to it read better as a block.
    node.flow = false;
    return node;
  }
  return undefined;
}

function stripReserved(doc: Document): string[] {
  const map = networkMap(doc, false);
  if (!map) return [];
  const keys = map.items
    .map((p) => String((p.key as { value?: unknown })?.value ?? p.key))
    .filter((k) => k.startsWith(RESERVED_KEY_PREFIX));
  for (const k of keys) map.delete(k);
  return keys;
}

function ensureVersion(doc: Document): boolean {
  if (doc.has('version')) return false;
  const map = doc.contents;
  if (!isMap(map)) return false;
  // Put it first, where OpenShell and people look for it.
  map.items.unshift(doc.createPair('version', 1));
  return true;
}

function addEntries(
  doc: Document,
  patch: PolicyPatch,
  r: { added: string[]; replaced: string[]; unchanged: string[] },
): void {
  const map = networkMap(doc, true)!;
  for (const [key, entry] of Object.entries(patch.entries)) {
    if (key.startsWith(RESERVED_KEY_PREFIX)) {
      throw new NemoclawError(
        'invalid',
        `${patch.name}: the key ${key} is reserved for OpenShell.`,
      );
    }
    const existing = map.get(key, true);
    if (existing === undefined) {
      map.set(key, doc.createNode(entry));
      r.added.push(key);
    } else if (sameEntry(key, (existing as { toJSON(): unknown }).toJSON(), entry)) {
      r.unchanged.push(key);
    } else {
      map.set(key, doc.createNode(entry));
      r.replaced.push(key);
    }
  }
}

function removeEntries(
  doc: Document,
  keys: string[],
  r: { removed: string[]; absent: string[] },
): void {
  const map = networkMap(doc, false);
  for (const key of keys) {
    if (map?.has(key)) {
      map.delete(key);
      r.removed.push(key);
    } else {
      r.absent.push(key);
    }
  }
}

/**
 * OpenShell re-serialises what it stores: an entry's `name` defaults to its key, `port` becomes
 * `ports`, and false, empty and default fields disappear. Compare in that normal form, so that
 * re-adding a preset OpenShell already holds is a no-op.
 */
export function normalizeEntry(key: string, entry: unknown): unknown {
  const e = { ...(entry as NetworkPolicyEntry) };
  if (!e.name) e.name = key;
  e.endpoints = (e.endpoints ?? []).map((ep) => {
    const out: Record<string, unknown> = { ...ep };
    const ports = ep.ports && ep.ports.length > 0 ? ep.ports : ep.port ? [ep.port] : [];
    delete out.port;
    out.ports = ports;
    return out as never;
  });
  e.binaries = (e.binaries ?? []).map((b) => ({ path: b.path }));
  return prune(e);
}

function prune(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(prune);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = prune(x);
      const empty =
        p === undefined ||
        p === null ||
        p === false ||
        p === '' ||
        (Array.isArray(p) && p.length === 0) ||
        (typeof p === 'object' && !Array.isArray(p) && Object.keys(p as object).length === 0);
      if (!empty) out[k] = p;
    }
    return out;
  }
  return v;
}

export function sameEntry(key: string, a: unknown, b: unknown): boolean {
  return canonical(normalizeEntry(key, a)) === canonical(normalizeEntry(key, b));
}

/** JSON with sorted keys. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}
