/**
 * What a snapshot create saves, decided without I/O: the state paths to download (a path inside
 * another is saved with it, and would be archived twice), and how a download that did not land is
 * recorded in the manifest.
 */
import { isNemoclawError, errorMessage } from '../errors.ts';
import type { SkippedPath } from './manifest.ts';

export function pathsToSave(statePaths: readonly string[]): string[] {
  return [...new Set(statePaths)]
    .sort()
    .filter((p, _i, all) => !all.some((q) => q !== p && p.startsWith(`${q}/`)));
}

/** A path OpenShell does not have is absent; any other failure makes the snapshot incomplete. */
export function downloadSkip(remote: string, e: unknown): SkippedPath {
  if (isNemoclawError(e) && e.kind === 'not-found') return absent(remote);
  return { path: remote, reason: `download failed: ${errorMessage(e)}`, code: 'failed' };
}

export function absent(remote: string): SkippedPath {
  return { path: remote, reason: 'not present in the sandbox', code: 'absent' };
}
