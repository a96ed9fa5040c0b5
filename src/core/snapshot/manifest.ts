/**
 * The snapshot manifest (product.md §10): what a snapshot holds and how to check it. It is written
 * after the archive is complete, so a manifest on disk always names a whole archive. Readers fail
 * closed on unknown keys and on newer schema versions.
 */
import { z } from 'zod';
import { AgentSchema, CustomPolicySchema } from '../registry/schema.ts';

export const MANIFEST_SCHEMA_VERSION = 1;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

/** A path inside the archive: relative, `/`-separated, no empty, `.` or `..` segments. */
/** Bounds on what a manifest may claim (it is read from disk and not trusted). */
export const MANIFEST_LIMITS = { files: 500_000, roots: 64, skipped: 1_000, path: 4096 } as const;
const Text = (max: number) => z.string().max(max);

const ArchivePath = z
  .string()
  .min(1)
  .max(MANIFEST_LIMITS.path)
  .refine(
    (p) => !p.startsWith('/') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'),
    'must be a relative path without . or .. segments',
  );

export const SnapshotFileSchema = z.strictObject({
  /** The archive path: the sandbox path without its leading `/`. */
  path: ArchivePath,
  type: z.enum(['file', 'dir', 'symlink']),
  /** Bytes of content (0 for folders and links). */
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  /** Permission bits only (0o777 at most): set-id bits are never recorded or restored. */
  mode: z.number().int().min(0).max(0o777),
  /** For files. */
  sha256: Sha256Hex.optional(),
  /** For symbolic links: the link text, which must stay inside its state path. */
  target: z.string().min(1).max(MANIFEST_LIMITS.path).optional(),
});
export type SnapshotFile = z.infer<typeof SnapshotFileSchema>;

export const SnapshotRootSchema = z.strictObject({
  /** An absolute state path in the sandbox (a blueprint `state_paths` entry). */
  path: z.string().startsWith('/').max(MANIFEST_LIMITS.path),
  type: z.enum(['file', 'dir']),
});
export type SnapshotRoot = z.infer<typeof SnapshotRootSchema>;

export const SkippedPathSchema = z.strictObject({
  path: z.string().min(1).max(MANIFEST_LIMITS.path),
  reason: z.string().min(1).max(2000),
  /** absent: not in the sandbox (nothing lost); refused: left out on purpose; failed: could not be read. */
  code: z.enum(['absent', 'refused', 'failed']),
});
export type SkippedPath = z.infer<typeof SkippedPathSchema>;

export const SnapshotManifestSchema = z.strictObject({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  id: z.string().regex(/^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$/),
  name: Text(64).nullable(),
  createdAt: z.iso.datetime(),
  nemoclawVersion: Text(64),
  sandbox: z.string().min(1).max(64),
  agent: AgentSchema,
  blueprint: z.strictObject({
    version: Text(64),
    digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  }),
  presets: z.array(Text(128)).max(256),
  customPolicies: z.array(CustomPolicySchema).max(256),
  roots: z.array(SnapshotRootSchema).max(MANIFEST_LIMITS.roots),
  skipped: z.array(SkippedPathSchema).max(MANIFEST_LIMITS.skipped),
  files: z.array(SnapshotFileSchema).max(MANIFEST_LIMITS.files),
  archive: z.strictObject({
    file: z.string().regex(/^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}\.tar\.gz$/),
    size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    sha256: Sha256Hex,
  }),
});
export type SnapshotManifest = z.infer<typeof SnapshotManifestSchema>;

/** Parses a manifest; returns the first problem as text instead of throwing. */
export function parseManifest(
  raw: unknown,
): { ok: true; manifest: SnapshotManifest } | { ok: false; problem: string } {
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > MANIFEST_SCHEMA_VERSION) {
    return {
      ok: false,
      problem: `schemaVersion ${version} is newer than this nemoclaw understands (${MANIFEST_SCHEMA_VERSION})`,
    };
  }
  const r = SnapshotManifestSchema.safeParse(raw);
  if (r.success) return { ok: true, manifest: r.data };
  const first = r.error.issues[0];
  return {
    ok: false,
    problem: first ? `${first.path.join('.') || '(top level)'}: ${first.message}` : 'invalid',
  };
}
