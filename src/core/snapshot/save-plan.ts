/**
 * What a snapshot create saves, decided without I/O: the state paths to download (a path inside
 * another is saved with it, and would be archived twice), how a download that did not land is
 * recorded, and the manifest of what was packed.
 */
import { isNemoclawError, errorMessage } from '../errors.ts';
import type { SandboxEntry } from '../registry/schema.ts';
import { archivePathOf } from './entries.ts';
import type { SkippedPath, SnapshotFile, SnapshotManifest, SnapshotRoot } from './manifest.ts';

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

export interface ManifestParts {
  id: string;
  name: string | undefined;
  now: Date;
  nemoclawVersion: string;
  source: Pick<
    SandboxEntry,
    'name' | 'agent' | 'blueprintVersion' | 'blueprintDigest' | 'presets' | 'customPolicies'
  >;
  /** The state paths downloaded; only those the walk kept become roots. */
  roots: SnapshotRoot[];
  /** The walked and packed entries (a file's sha256 filled in by packing). */
  entries: SnapshotFile[];
  skipped: SkippedPath[];
  archive: { file: string; size: number; sha256: string };
}

/** The manifest of a packed snapshot: what the archive holds, what was left out and why. */
export function snapshotManifest(p: ManifestParts): SnapshotManifest {
  // A state path the walk left out (a link, a FIFO) is in `skipped`, not a root of the archive.
  const walked = new Set(p.entries.map((f) => f.path));
  const roots = p.roots
    .filter((r) => walked.has(archivePathOf(r.path)))
    .sort((a, b) => a.path.localeCompare(b.path));
  const files: SnapshotFile[] = p.entries.map((e) => ({
    path: e.path,
    type: e.type,
    size: e.size,
    mode: e.mode,
    ...(e.sha256 !== undefined ? { sha256: e.sha256 } : {}),
    ...(e.target !== undefined ? { target: e.target } : {}),
  }));
  return {
    schemaVersion: 1,
    id: p.id,
    name: p.name ?? null,
    createdAt: p.now.toISOString(),
    nemoclawVersion: p.nemoclawVersion,
    sandbox: p.source.name,
    agent: p.source.agent,
    blueprint: { version: p.source.blueprintVersion, digest: p.source.blueprintDigest },
    presets: [...p.source.presets],
    customPolicies: p.source.customPolicies.map((c) => ({ ...c })),
    roots,
    skipped: p.skipped,
    files,
    archive: p.archive,
  };
}
