/**
 * `<name> skill install <dir>`: what makes a folder an installable skill. A `SKILL.md` whose YAML
 * front matter has a `name`; only regular files and folders inside the folder (no symlinks, hard
 * links, devices, sockets or FIFOs, nothing that resolves outside); bounded size. Everything is
 * checked before anything is uploaded.
 */

export const SKILL_MAX_BYTES = 10 * 1024 * 1024;
export const SKILL_MAX_FILES = 1000;
export const SKILL_NAME_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

export interface TreeEntry {
  /** Relative to the skill folder, `/`-separated. */
  rel: string;
  kind: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  /** Hard-link count (files). */
  nlink: number;
}

/** Every reason the tree cannot be installed (empty when it can). */
export function treeProblems(entries: TreeEntry[]): string[] {
  const problems: string[] = [];
  let total = 0;
  let files = 0;
  for (const e of entries) {
    if (e.rel.split('/').some((p) => p === '..' || p === '') || e.rel.startsWith('/')) {
      problems.push(`${e.rel}: escapes the skill folder`);
    } else if (e.kind === 'symlink') {
      problems.push(`${e.rel}: is a symbolic link (copy the file in instead)`);
    } else if (e.kind === 'other') {
      problems.push(`${e.rel}: is not a regular file or folder (device, socket or FIFO)`);
    } else if (e.kind === 'file' && e.nlink > 1) {
      problems.push(`${e.rel}: is a hard link to a file elsewhere`);
    }
    if (e.kind === 'file') {
      total += e.size;
      files++;
    }
  }
  if (files > SKILL_MAX_FILES) problems.push(`more than ${SKILL_MAX_FILES} files`);
  if (total > SKILL_MAX_BYTES) {
    problems.push(`${total} bytes in total, more than the ${SKILL_MAX_BYTES}-byte limit`);
  }
  return problems;
}

/** The YAML between the opening `---` line and the next `---` line, or undefined. */
export function frontMatter(markdown: string): string | undefined {
  const text = markdown.replace(/^\uFEFF/, '');
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/.exec(text);
  return m ? m[1] : undefined;
}

/** The skill's name from parsed front matter, or the problem with it. */
export function skillName(meta: unknown): { name: string } | { problem: string } {
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) {
    return { problem: 'the front matter is not a YAML mapping' };
  }
  const name = (meta as Record<string, unknown>).name;
  if (typeof name !== 'string' || name.trim() === '') {
    return { problem: 'the front matter has no `name`' };
  }
  if (!SKILL_NAME_RE.test(name.trim())) {
    return {
      problem: `the name "${name}" must be letters, digits, dot, dash or underscore (at most 64)`,
    };
  }
  return { name: name.trim() };
}
