/**
 * Glob matching with OpenShell's semantics. OpenShell's policy engine uses OPA's `glob.match`
 * with a delimiter: hosts use `.` (so `*` is one DNS label and `**` spans labels), paths and
 * binaries use `/` (so `*` stays inside one segment and `**` crosses segments), and query values
 * and GraphQL names use no delimiter (so `*` matches anything).
 *
 * Supported: `*`, `**`, `?`, `[abc]`, `[a-z]`, `[!x]`, `{a,b}`, and `\` escapes. The whole string
 * must match.
 */

const cache = new Map<string, RegExp>();

export function globToRegExp(pattern: string, delimiters: readonly string[] = []): RegExp {
  const key = `${delimiters.join('')}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const notDelim =
    delimiters.length === 0 ? '[\\s\\S]' : `[^${delimiters.map(escapeClassChar).join('')}]`;
  const re = new RegExp(`^${translate(pattern, notDelim)}$`, 's');
  cache.set(key, re);
  return re;
}

export function globMatch(
  pattern: string,
  delimiters: readonly string[],
  subject: string,
): boolean {
  return globToRegExp(pattern, delimiters).test(subject);
}

function translate(p: string, notDelim: string): string {
  let out = '';
  let depth = 0; // inside `{…}` alternatives
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\' && i + 1 < p.length) {
      out += escapeRe(p[++i]!);
    } else if (c === '*') {
      if (p[i + 1] === '*') {
        while (p[i + 1] === '*') i++;
        out += '[\\s\\S]*';
      } else {
        out += `${notDelim}*`;
      }
    } else if (c === '?') {
      out += notDelim;
    } else if (c === '[') {
      const end = p.indexOf(']', i + 2);
      if (end === -1) {
        out += '\\[';
        continue;
      }
      let body = p.slice(i + 1, end);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else if (c === '{') {
      depth++;
      out += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (c === ',' && depth > 0) {
      out += '|';
    } else {
      out += escapeRe(c);
    }
  }
  // An unclosed `{` is taken literally rather than producing an invalid expression.
  if (depth > 0) return escapeRe(p);
  return out;
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, (m) => `\\${m}`);
}

function escapeClassChar(c: string): string {
  return c.replace(/[\\\]^-]/g, (m) => `\\${m}`);
}
