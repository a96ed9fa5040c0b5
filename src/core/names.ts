/** Sandbox name rules (product.md §8). Pure. */

export const SANDBOX_NAME_RE = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
/** OpenShell v0.0.111 refuses longer names (crates/openshell-server/src/grpc/mod.rs MAX_ROUTABLE_NAME_LEN). */
export const SANDBOX_NAME_MAX = 19;

/** Global command names a sandbox may not take, or `nemoclaw <name> <verb>` would be ambiguous. */
export const RESERVED_NAMES = new Set([
  'onboard',
  'list',
  'status',
  'use',
  'inference',
  'credentials',
  'blueprint',
  'backup-all',
  'gc',
  'doctor',
  'debug',
  'uninstall',
  'completion',
  'help',
  'sandbox',
  'deploy',
  'setup',
  'setup-spark',
  'start',
  'stop',
  'update',
  'version',
  'recover',
  'audit',
  'config',
  'apply',
  'upgrade-sandboxes',
  'profiles',
]);

/** Returns why `name` is not a valid sandbox name, or undefined when it is. */
export function sandboxNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.length > SANDBOX_NAME_MAX)
    return `it is ${name.length} characters long (at most ${SANDBOX_NAME_MAX})`;
  if (name.includes('--')) return 'it contains "--"';
  if (!SANDBOX_NAME_RE.test(name)) {
    return 'it must start with a lowercase letter, use only lowercase letters, digits and hyphens, and not end with a hyphen';
  }
  if (RESERVED_NAMES.has(name)) return `"${name}" is a nemoclaw command`;
  return undefined;
}

/** A valid name close to what the user typed, for "Try: <slug>". */
export function suggestSandboxName(input: string): string | undefined {
  let s = input
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, SANDBOX_NAME_MAX)
    .replace(/-+$/, '');
  if (RESERVED_NAMES.has(s)) s = `${s}-sandbox`;
  return s && !sandboxNameProblem(s) ? s : undefined;
}

/** Edit distance counting an adjacent transposition as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate within a small distance, if any. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(input, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(input.length * 0.4)));
  return bestD <= limit ? best : undefined;
}
