/** Sandbox name rules (product.md §3, §8). Pure. */

/**
 * A DNS-1123 label that also starts with a letter (nemoclaw's own rule, so that `nemoclaw <name>`
 * never looks like a number). OpenShell v0.0.111 refuses any name that is not a DNS-1123 label or
 * is longer than 19 characters (`crates/openshell-server/src/grpc/validation.rs`,
 * `validate_sandbox_spec`; `MAX_ROUTABLE_NAME_LEN` in `grpc/mod.rs`), so these are refused here
 * before anything is built or created.
 */
export const SANDBOX_NAME_RE = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
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

/**
 * Returns why `name` is not a valid sandbox name, or undefined when it is. The wizard calls this
 * as the user types; keep its name and signature.
 */
export function sandboxNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.length > SANDBOX_NAME_MAX)
    return `it is ${name.length} characters long; OpenShell allows at most ${SANDBOX_NAME_MAX}`;
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
