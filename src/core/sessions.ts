/**
 * `sessions export`: which files in the sandbox are the agent's session logs, and the manifest of
 * what was exported. Pure.
 *
 * OpenClaw keeps one JSONL transcript per session, and a `sessions.json` index, under
 * `<state dir>/agents/<agentId>/sessions/` (OpenClaw docs, cli/sessions: the store path is
 * `agents/<id>/sessions/sessions.json`; its state dir is the blueprint's `.openclaw-data`).
 * Hermes keeps its runtime state in SQLite databases and session files in its state dir (the
 * blueprint's state paths `sessions` and `runtime`); a database is copied with SQLite's online
 * backup, so the copy is consistent while Hermes writes.
 */
import type { Agent } from './registry/schema.ts';

/** Lists `<mtime> <size> <path>` for every file under the roots given as arguments. */
export const LIST_SCRIPT = `for r in "$@"; do [ -d "$r" ] || continue; find "$r" -type f 2>/dev/null | while IFS= read -r f; do stat -c '%Y %s %n' "$f"; done; done`;

/**
 * Stages the chosen files in a private folder ($1). stdin: one `<kind>\\t<path>` line each; a
 * SQLite database is copied with the online backup API (python3, else the sqlite3 shell). Prints
 * `OK\\t<path>` or `SKIP\\t<path>\\t<reason>`.
 */
export const STAGE_SCRIPT = `set -u; S="$1"; umask 077; mkdir -p "$S"
while IFS="$(printf '\\t')" read -r kind p; do
  d="$S$(dirname "$p")"; mkdir -p "$d"
  if [ "$kind" = sqlite ]; then
    if command -v python3 >/dev/null 2>&1 && python3 -c 'import sqlite3,sys; s=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True); d=sqlite3.connect(sys.argv[2]); s.backup(d); d.close(); s.close()' "$p" "$S$p" 2>/dev/null; then echo "OK	$p"
    elif command -v sqlite3 >/dev/null 2>&1 && sqlite3 "$p" ".backup '$S$p'" 2>/dev/null; then echo "OK	$p"
    else echo "SKIP	$p	no python3 or sqlite3 in the sandbox to copy the database consistently"; fi
  else
    if cp "$p" "$S$p" 2>/dev/null; then echo "OK	$p"; else echo "SKIP	$p	could not be read"; fi
  fi
done`;

export type SessionFileKind = 'transcript' | 'index' | 'sqlite' | 'file';

export interface SessionFile {
  path: string;
  kind: SessionFileKind;
  mtimeMs: number;
  size: number;
}

/**
 * Where session logs live is read from the agent's blueprint `state_paths` (the writable state,
 * e.g. `/sandbox/.openclaw-data/agents`; the config folder only holds links into it), never from a
 * fixed path: OpenClaw's are under its `agents` state path; Hermes' session files under its
 * `sessions` and `runtime` state paths, and its databases under any of its state paths.
 */
const SESSION_DIRS: Record<Agent, readonly string[]> = {
  openclaw: ['agents'],
  hermes: ['sessions', 'runtime'],
};

const baseName = (p: string): string => p.replace(/\/+$/, '').split('/').pop() ?? '';
const under = (root: string, path: string): boolean =>
  path.startsWith(`${root.replace(/\/+$/, '')}/`);

/** The folders in the sandbox to list for the agent's session logs, from its state paths. */
export function sessionRoots(agent: Agent, statePaths: readonly string[]): string[] {
  const roots =
    agent === 'hermes'
      ? statePaths
      : statePaths.filter((p) => SESSION_DIRS[agent].includes(baseName(p)));
  return [...new Set(roots)];
}

const SQLITE = /\.(?:db|sqlite3?)$/;

function classify(
  agent: Agent,
  path: string,
  statePaths: readonly string[],
): SessionFileKind | undefined {
  const dirs = statePaths.filter((p) => SESSION_DIRS[agent].includes(baseName(p)));
  if (agent === 'openclaw') {
    // <agents>/<agentId>/sessions/<id>.jsonl, or its sessions.json index.
    const root = dirs.find((r) => under(r, path));
    if (!root) return undefined;
    const rel = path.slice(root.replace(/\/+$/, '').length + 1).split('/');
    if (rel.length !== 3 || rel[1] !== 'sessions') return undefined;
    if (rel[2] === 'sessions.json') return 'index';
    return /^[^/]+\.jsonl$/.test(rel[2]!) ? 'transcript' : undefined;
  }
  if (!statePaths.some((r) => under(r, path))) return undefined;
  // SQLite's journal files travel inside the backup copy.
  if (/-(?:wal|shm|journal)$/.test(path)) return undefined;
  if (SQLITE.test(path)) return 'sqlite';
  if (dirs.some((r) => under(r, path))) return path.endsWith('.jsonl') ? 'transcript' : 'file';
  return undefined;
}

/** `<mtime seconds> <size> <path>` lines (from `stat -c '%Y %s %n'`) → the files to export. */
export function selectSessionFiles(
  agent: Agent,
  statePaths: readonly string[],
  listing: string,
  since: Date | undefined,
): SessionFile[] {
  const seen = new Map<string, SessionFile>();
  for (const line of listing.split('\n')) {
    const m = /^(\d+) (\d+) (\/.+)$/.exec(line.trim());
    if (!m) continue;
    const path = m[3]!;
    // The staging step reads `<kind>\t<path>` lines: a tab in a name cannot travel.
    if (path.split('/').includes('..') || path.includes('\t')) continue;
    const kind = classify(agent, path, statePaths);
    if (!kind) continue;
    const f = { path, kind, mtimeMs: Number(m[1]) * 1000, size: Number(m[2]) };
    // An index or a database says which sessions exist: always taken, whatever --since says.
    if (since && f.mtimeMs < since.getTime() && kind !== 'index' && kind !== 'sqlite') continue;
    seen.set(path, f);
  }
  return [...seen.values()].sort((a, b) => a.path.localeCompare(b.path));
}

export interface ManifestEntry {
  /** Path in the export, relative to its root (the sandbox path without the leading /). */
  path: string;
  source: string;
  kind: SessionFileKind;
  size: number;
  sha256: string;
  /** How many secrets were replaced in this copy. */
  redactions: number;
}

export interface SessionsManifest {
  schemaVersion: 1;
  sandbox: string;
  agent: Agent;
  exportedAt: string;
  since?: string;
  files: ManifestEntry[];
  skipped: { path: string; reason: string }[];
}

/** Redacts a text file line by line; returns the text and how many lines changed. */
export function redactText(
  text: string,
  redact: (s: string) => string,
): { text: string; changed: number } {
  let changed = 0;
  const out = text.split('\n').map((l) => {
    const r = redact(l);
    if (r !== l) changed++;
    return r;
  });
  return { text: out.join('\n'), changed };
}
