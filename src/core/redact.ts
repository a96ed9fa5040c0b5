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

const TOKEN_SHAPES: RegExp[] = [
  /\bnvapi-[A-Za-z0-9_-]{8,}/g,
  /\bnvcf-[A-Za-z0-9_-]{8,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{16,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{16,}/g,
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g,
  /\bsk-proj-[A-Za-z0-9_-]{8,}/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\bxox[bpas]-[A-Za-z0-9-]{8,}/g,
  /\bxapp-[A-Za-z0-9-]{8,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bhf_[A-Za-z0-9]{16,}/g,
  /\bglpat-[A-Za-z0-9_-]{16,}/g,
  /\bgsk_[A-Za-z0-9]{16,}/g,
  /\bpypi-[A-Za-z0-9_-]{16,}/g,
  /\btvly-[A-Za-z0-9_-]{8,}/g,
  // Telegram bot token: digits, colon, 35 url-safe characters.
  /\b\d{8,10}:[A-Za-z0-9_-]{35}\b/g,
  // Discord bot token: three dot-separated base64url parts.
  /\b[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,40}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

// `Bearer <token>` and `x-api-key: <token>` keep their label.
const LABELLED: RegExp[] = [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, /\b(x-api-key:\s*)\S{8,}/gi];

// NAME=value or NAME: value where NAME looks secret. The value ends at whitespace or a quote.
const ASSIGNMENT =
  /\b([A-Za-z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD)[A-Za-z0-9_]*)(["']?\s*[=:]\s*["']?)([^\s"',;}]{4,})/gi;

// URL userinfo (`scheme://user:secret@host`): the whole userinfo goes, the host stays readable.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>]+)@/gi;

// Query parameters whose name says they carry a credential (`?api_key=…`, `&sig=…`).
const CREDENTIAL_QUERY =
  /([?&;](?:[a-z0-9_.-]*[_.-])?(?:api[_-]?key|key|token|secret|password|passwd|pwd|credentials?|auth|signature|sig|code|pass)=)([^&#\s"'<>]+)/gi;

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
  for (const re of TOKEN_SHAPES) out = out.replace(re, REDACTED);
  for (const re of LABELLED) out = out.replace(re, (_m, label: string) => `${label}${REDACTED}`);
  out = redactUrl(out);
  out = out.replace(ASSIGNMENT, (m, name: string, sep: string, value: string) => {
    if (value === REDACTED || value.startsWith('<REDACTED')) return m;
    // A variable name as the value (--credential NVIDIA_API_KEY) is not a secret.
    if (/^[A-Z][A-Z0-9_]*$/.test(value) && isSecretEnvName(value)) return m;
    if (/^(true|false|null|undefined|none|\*+)$/i.test(value)) return m;
    if (!looksLikeSecretValue(sep, value)) return m;
    return `${name}${sep}${REDACTED}`;
  });
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
  return url
    .replace(URL_USERINFO, (m, scheme: string, info: string) =>
      info === REDACTED ? m : `${scheme}${REDACTED}@`,
    )
    .replace(CREDENTIAL_QUERY, (m, name: string, value: string) =>
      value === REDACTED ? m : `${name}${REDACTED}`,
    );
}
