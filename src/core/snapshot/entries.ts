/**
 * What a snapshot archive may contain (product.md §10). One pure rule set serves both sides: create
 * leaves out what restore would refuse, and restore refuses, before anything is written, every
 * entry that could land outside its state path or create something other than a file, a folder or
 * a link that stays inside its own tree.
 */
import { posix } from 'node:path';

/** The header fields the rules look at (names as the `tar` package reports them). */
export interface EntryHeader {
  path: string;
  /** `File`, `OldFile`, `Directory`, `SymbolicLink`, `Link`, `CharacterDevice`, … */
  type: string;
  linkpath?: string;
  size: number;
  mode: number;
}

/** `/sandbox/.openclaw/workspace` → `sandbox/.openclaw/workspace`. */
export function archivePathOf(statePath: string): string {
  return posix.normalize(statePath).replace(/^\/+/, '').replace(/\/+$/, '');
}

/** `sandbox/.openclaw/workspace/a` → `/sandbox/.openclaw/workspace/a`. */
export function statePathOf(archivePath: string): string {
  return `/${archivePath}`;
}

/** Entry paths as tar reports them may end in `/` for folders. */
export function normalizeEntryPath(p: string): string {
  return p.replace(/\/+$/, '');
}

/** The root (archive path) that holds `path`, if any. */
export function rootOf(path: string, roots: readonly string[]): string | undefined {
  return roots.find((r) => path === r || path.startsWith(`${r}/`));
}

function pathProblem(path: string): string | undefined {
  if (path === '') return 'an empty path';
  if (path.includes('\0')) return 'a NUL byte in the path';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\')) {
    return 'an absolute path';
  }
  const segs = path.split('/');
  if (segs.includes('..')) return 'a ".." path segment';
  if (segs.some((s) => s === '' || s === '.')) return 'a path that is not normalized';
  return undefined;
}

/**
 * Why a symlink at `path` with text `target` could point outside `root`, or undefined when it
 * stays inside. `..` is allowed only as leading segments: after a named segment (which may itself
 * be a link) the kernel's `..` is not the lexical one, so `x/../..` could leave the tree.
 */
export function linkTargetProblem(path: string, target: string, root: string): string | undefined {
  if (target === '' || target.includes('\0')) return 'a link with an empty or invalid target';
  if (target.startsWith('/')) return `a link to an absolute path (${target})`;
  const segs = target.split('/').filter((s) => s !== '' && s !== '.');
  const firstNamed = segs.findIndex((s) => s !== '..');
  if (firstNamed !== -1 && segs.slice(firstNamed).includes('..')) {
    return `a link whose target climbs after descending (${target})`;
  }
  const resolved = posix.normalize(posix.join(posix.dirname(path), target));
  if (resolved !== root && !resolved.startsWith(`${root}/`)) {
    return `a link that leaves its state path (${target})`;
  }
  return undefined;
}

const TYPE_PROBLEMS: Record<string, string> = {
  Link: 'a hard link',
  CharacterDevice: 'a character device',
  BlockDevice: 'a block device',
  FIFO: 'a FIFO',
};

export type EntryKind = 'file' | 'dir' | 'symlink';

export function entryKind(type: string): EntryKind | undefined {
  if (type === 'File' || type === 'OldFile') return 'file';
  if (type === 'Directory') return 'dir';
  if (type === 'SymbolicLink') return 'symlink';
  return undefined;
}

/**
 * A stateful checker over a stream of entries: besides each entry's own rules it refuses an entry
 * below an earlier symlink (writing through a link) and a second entry for the same path.
 */
export function createEntryChecker(roots: readonly string[]) {
  const links = new Set<string>();
  const seen = new Set<string>();
  return (h: EntryHeader): string | undefined => {
    const path = normalizeEntryPath(h.path);
    const bad = pathProblem(path);
    if (bad) return bad;
    const kind = entryKind(h.type);
    if (!kind) return TYPE_PROBLEMS[h.type] ?? `an unsupported entry type (${h.type})`;
    const root = rootOf(path, roots);
    if (!root) return 'a path outside every state path';
    if ((h.mode & ~0o777) !== 0) return 'set-user-id, set-group-id or sticky mode bits';
    if (seen.has(path)) return 'a second entry for the same path';
    for (let p = posix.dirname(path); p !== '.' && p !== '/'; p = posix.dirname(p)) {
      if (links.has(p)) return 'a path below a symbolic link';
    }
    if (kind === 'symlink') {
      if (path === root) return 'a state path that is itself a link';
      const t = linkTargetProblem(path, h.linkpath ?? '', root);
      if (t) return t;
      links.add(path);
    }
    seen.add(path);
    return undefined;
  };
}
