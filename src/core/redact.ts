/**
 * The one redaction module. Every path that can carry text out of the process (stdout, stderr,
 * logs, error details, debug bundles, --json) passes through `redact`.
 *
 * Two layers: exact values of secrets this process has seen (registered from the environment or
 * from prompts), and shapes of well-known secrets (reference-behaviour.md §9), so that a key we
 * never saw — echoed by a child, say — is still masked.
 */

export const REDACTED = '<REDACTED>';

const known = new Set<string>();

/** Names of environment variables whose values are secrets. */
export const SECRET_ENV_NAME = /(?:^|_)(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)(?:$|_)/i;

/** Variables that look secret by name but are not (they name a variable or path). */
const NOT_SECRET_ENV = new Set(['GPG_KEY', 'SSH_AUTH_SOCK', 'NEMOCLAW_CREDENTIAL_ENV']);

export function isSecretEnvName(name: string): boolean {
  return SECRET_ENV_NAME.test(name) && !NOT_SECRET_ENV.has(name);
}

/** Remember a secret value so that it is masked wherever it appears. Short values are ignored. */
export function registerSecret(value: string | undefined | null): void {
  if (!value) return;
  const v = value.trim();
  if (v.length >= 8) known.add(v);
}

/** Register every secret-looking variable of an environment. */
export function registerSecretsFromEnv(env: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(env)) if (isSecretEnvName(k)) registerSecret(v);
}

/** For tests only. */
export function clearKnownSecrets(): void {
  known.clear();
}

/**
 * A pattern and what every text it matches contains: one of `needs` (looked for in the lower-cased
 * text when the pattern ignores case), and what `also` checks. Checking that first spares running —
 * and V8 compiling, the first time — a pattern that cannot match: most output (every line of
 * `list`) needs none of them. test/unit/core/redact.test.ts holds each pattern to it on generated
 * texts.
 */
export interface Shape {
  re: RegExp;
  needs: readonly string[];
  also?: (text: string) => boolean;
}

const shape = (re: RegExp, ...needs: string[]): Shape => ({ re, needs });

/** Two dots seven characters apart, as in a Discord token's `.xxxxxx.` (not in a sentence). */
function dotsSevenApart(text: string): boolean {
  for (let i = text.indexOf('.'); i !== -1; i = text.indexOf('.', i + 1)) {
    if (text[i + 7] === '.') return true;
  }
  return false;
}
const DIGIT_COLON = [...'0123456789'].map((d) => `${d}:`);

/** Shapes of well-known secrets, masked whole. */
export const TOKEN_SHAPES: readonly Shape[] = [
  shape(/\bnvapi-[A-Za-z0-9_-]{8,}/g, 'nvapi-'),
  shape(/\bnvcf-[A-Za-z0-9_-]{8,}/g, 'nvcf-'),
  shape(/\bgithub_pat_[A-Za-z0-9_]{16,}/g, 'github_pat_'),
  shape(/\bgh[pousr]_[A-Za-z0-9]{16,}/g, 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'),
  shape(/\bsk-ant-[A-Za-z0-9_-]{8,}/g, 'sk-ant-'),
  shape(/\bsk-proj-[A-Za-z0-9_-]{8,}/g, 'sk-proj-'),
  shape(/\bsk-[A-Za-z0-9_-]{16,}/g, 'sk-'),
  shape(/\bxox[bpas]-[A-Za-z0-9-]{8,}/g, 'xoxb-', 'xoxp-', 'xoxa-', 'xoxs-'),
  shape(/\bxapp-[A-Za-z0-9-]{8,}/g, 'xapp-'),
  shape(/\bAKIA[0-9A-Z]{16}\b/g, 'AKIA'),
  shape(/\bhf_[A-Za-z0-9]{16,}/g, 'hf_'),
  shape(/\bglpat-[A-Za-z0-9_-]{16,}/g, 'glpat-'),
  shape(/\bgsk_[A-Za-z0-9]{16,}/g, 'gsk_'),
  shape(/\bpypi-[A-Za-z0-9_-]{16,}/g, 'pypi-'),
  shape(/\btvly-[A-Za-z0-9_-]{8,}/g, 'tvly-'),
  // Telegram bot token: digits, colon, 35 url-safe characters.
  shape(/\b\d{8,10}:[A-Za-z0-9_-]{35}\b/g, ...DIGIT_COLON),
  // Discord bot token: three dot-separated base64url parts.
  {
    re: /\b[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,40}\b/g,
    needs: ['.'],
    also: dotsSevenApart,
  },
  shape(
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
    '-----BEGIN ',
  ),
];

// `Bearer <token>` and `x-api-key: <token>` keep their label.
export const LABELLED: readonly Shape[] = [
  shape(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, 'bearer'),
  shape(/\b(x-api-key:\s*)\S{8,}/gi, 'x-api-key:'),
];

// NAME=value or NAME: value where NAME looks secret. The value ends at whitespace or a quote.
export const ASSIGNMENT = shape(
  /\b([A-Za-z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD)[A-Za-z0-9_]*)(["']?\s*[=:]\s*["']?)([^\s"',;}]{4,})/gi,
  'key',
  'token',
  'secret',
  'passw',
);

// URL userinfo (`scheme://user:secret@host`): the whole userinfo goes, the host stays readable.
export const URL_USERINFO = shape(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>]+)@/gi, '://');

// Query parameters whose name says they carry a credential (`?api_key=…`, `&sig=…`).
export const CREDENTIAL_QUERY = shape(
  /([?&;](?:[a-z0-9_.-]*[_.-])?(?:api[_-]?key|key|token|secret|password|passwd|pwd|credentials?|auth|signature|sig|code|pass)=)([^&#\s"'<>]+)/gi,
  '?',
  '&',
  ';',
);

/** Whether `s` could match `text` (see Shape); `lower` gives the text lower-cased. */
export function couldMatch(s: Shape, text: string, lower = () => text.toLowerCase()): boolean {
  const t = s.re.ignoreCase ? lower() : text;
  for (const n of s.needs) if (t.includes(n)) return !s.also || s.also(text);
  return false;
}

const SHAPES: readonly Shape[] = [
  ...TOKEN_SHAPES,
  ...LABELLED,
  URL_USERINFO,
  CREDENTIAL_QUERY,
  ASSIGNMENT,
];

/**
 * False only when `redact(text)` is certainly `text` (no registered secret and no pattern's needs
 * occur in it), and then also for every part of it; decided without running a pattern.
 */
export function redactionCouldChange(text: string): boolean {
  for (const secret of known) if (text.includes(secret)) return true;
  let low: string | undefined;
  const lower = () => (low ??= text.toLowerCase());
  for (const s of SHAPES) if (couldMatch(s, text, lower)) return true;
  return false;
}

/**
 * Whether the value of `NAME: value` is a secret rather than prose. `NAME=value` and quoted
 * values are assignments; after `NAME: ` an ordinary word (the next word of a sentence such as
 * `NVIDIA_API_KEY: provider "build" needs…`) is not a secret, while anything with a digit or a
 * symbol, or a long run of letters, is treated as one.
 */
function looksLikeSecretValue(sep: string, value: string): boolean {
  const quoted = /["']/.test(sep);
  const assigned = sep.includes('=') && !/\s/.test(sep);
  if (quoted || assigned) return true;
  return !/^[A-Za-z][a-z]*[.!?]?$/.test(value) || value.length >= 24;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function redact(text: string): string {
  if (!text) return text;
  let out = text;
  for (const secret of known) {
    if (out.includes(secret)) out = out.replace(new RegExp(escapeRegExp(secret), 'g'), REDACTED);
  }
  let low: string | undefined;
  let lowOf: string | undefined;
  const lower = () => (lowOf === out ? low! : ((lowOf = out), (low = out.toLowerCase())));
  for (const s of TOKEN_SHAPES) if (couldMatch(s, out, lower)) out = out.replace(s.re, REDACTED);
  for (const s of LABELLED) {
    if (couldMatch(s, out, lower))
      out = out.replace(s.re, (_m, label: string) => `${label}${REDACTED}`);
  }
  out = redactUrlWith(out, lower);
  if (couldMatch(ASSIGNMENT, out, lower)) {
    out = out.replace(ASSIGNMENT.re, (m, name: string, sep: string, value: string) => {
      if (value === REDACTED || value.startsWith('<REDACTED')) return m;
      // A variable name as the value (--credential NVIDIA_API_KEY) is not a secret.
      if (/^[A-Z][A-Z0-9_]*$/.test(value) && isSecretEnvName(value)) return m;
      if (/^(true|false|null|undefined|none|\*+)$/i.test(value)) return m;
      if (!looksLikeSecretValue(sep, value)) return m;
      return `${name}${sep}${REDACTED}`;
    });
  }
  return out;
}

/** Deep-redact a JSON-able value: strings are redacted, and values under secret-looking keys are masked. */
export function redactValue<T>(value: T): T {
  return walk(value, undefined) as T;
}

function walk(v: unknown, key: string | undefined): unknown {
  if (typeof v === 'string') {
    if (key !== undefined && isSecretEnvName(key) && v.length > 0 && !/^[A-Z][A-Z0-9_]*$/.test(v)) {
      return REDACTED;
    }
    return redact(v);
  }
  if (Array.isArray(v)) return v.map((x) => walk(x, undefined));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, k);
    return out;
  }
  return v;
}

/** A URL with its userinfo and credential-looking query values masked (for state files). */
export function redactUrl(url: string): string {
  let low: string | undefined;
  return redactUrlWith(url, () => (low ??= url.toLowerCase()));
}

function redactUrlWith(url: string, lower: () => string): string {
  let out = url;
  if (couldMatch(URL_USERINFO, out, lower)) {
    out = out.replace(URL_USERINFO.re, (m, scheme: string, info: string) =>
      info === REDACTED ? m : `${scheme}${REDACTED}@`,
    );
  }
  if (couldMatch(CREDENTIAL_QUERY, out, lower)) {
    out = out.replace(CREDENTIAL_QUERY.re, (m, name: string, value: string) =>
      value === REDACTED ? m : `${name}${REDACTED}`,
    );
  }
  return out;
}
