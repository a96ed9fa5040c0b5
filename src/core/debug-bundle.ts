/**
 * The debug bundle's contents (product.md §4 `debug`; user-pain-points 30): every entry is text that
 * has passed through `scrub` before it is hashed, so the manifest describes exactly the redacted
 * bytes that ship. Pure.
 */
import { sha256Hex } from './blueprint/digest.ts';
import { redact, REDACTED } from './redact.ts';

export const BUNDLE_SCHEMA_VERSION = 1;

export interface BundleEntry {
  /** Relative, forward slashes, no `..`. */
  path: string;
  description: string;
  text: string;
}

export interface ManifestEntry {
  path: string;
  description: string;
  bytes: number;
  sha256: string;
}

export interface BundleManifest {
  schemaVersion: number;
  createdAt: string;
  nemoclawVersion: string;
  quick: boolean;
  sandbox?: string;
  redaction: string;
  entries: ManifestEntry[];
  /** Probes that failed or were skipped, and why; their absence is information too. */
  skipped: { path: string; reason: string }[];
}

/** Central redaction, plus credentials inside URLs (a proxy such as http://user:pass@host). */
export function scrub(text: string): string {
  return redact(text).replace(
    /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@"']+:[^/\s@"']+@/gi,
    `$1${REDACTED}@`,
  );
}

export function safeEntryPath(p: string): boolean {
  return (
    p.length > 0 &&
    !p.startsWith('/') &&
    !p.includes('\\') &&
    p.split('/').every((s) => s !== '' && s !== '.' && s !== '..')
  );
}

/** Environment variables worth seeing in a report; values still go through redaction. */
export const ENV_OF_INTEREST =
  /^(NEMOCLAW_|OPENSHELL_|DOCKER_|NVIDIA_VISIBLE|CUDA_VISIBLE|(HTTPS?|NO|ALL)_PROXY$|(https?|no|all)_proxy$|NO_COLOR$|SHELL$|LANG$|TERM$|PATH$)/;

export function interestingEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(env).sort()) {
    const v = env[k];
    if (v !== undefined && ENV_OF_INTEREST.test(k)) out[k] = v;
  }
  return out;
}

export function buildManifest(
  entries: BundleEntry[],
  meta: Omit<BundleManifest, 'schemaVersion' | 'entries' | 'redaction'>,
): BundleManifest {
  return {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    ...meta,
    redaction:
      'Every entry passed through nemoclaw redaction (known secret values, token shapes, NAME=value assignments, URL credentials) before it was hashed and packed. Review before sharing.',
    entries: entries.map((e) => {
      const bytes = Buffer.from(e.text, 'utf8');
      return {
        path: e.path,
        description: e.description,
        bytes: bytes.length,
        sha256: sha256Hex(bytes),
      };
    }),
  };
}
