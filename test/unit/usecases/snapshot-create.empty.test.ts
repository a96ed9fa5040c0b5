// A snapshot of an empty agent state (a freshly onboarded sandbox: no state path exists yet, or
// only empty folders) must be a valid archive that verifies and restores nothing.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hashArchive, isEmptyTar } from '../../../src/adapters/snapshot/archive.ts';
import { createSnapshot } from '../../../src/usecases/snapshot-create.ts';
import { restoreSnapshot, verifySnapshot } from '../../../src/usecases/snapshot-restore.ts';
import type { SnapshotRecord } from '../../../src/adapters/snapshot/store.ts';
import { NemoclawError } from '../../../src/core/errors.ts';
import { treeDigest } from '../../helpers/fake-sandbox.ts';
import { OPENCLAW_PATHS, rawTarGz, SOURCE } from '../../helpers/snapshot-fixtures.ts';
import { snapshotIo, useSnapshotWorld } from '../../helpers/snapshot-world.ts';

const w = useSnapshotWorld('nc-snap-empty-', { empty: true });

const create = (name: string) =>
  createSnapshot(
    { openshell: w.sb, ...snapshotIo },
    { snapshotsDir: w.snapshotsDir, source: SOURCE, statePaths: OPENCLAW_PATHS, name },
  );

/** Verify, then restore into the same sandbox; returns what the restore did. */
async function verifyAndRestore(record: SnapshotRecord) {
  const report = await verifySnapshot(snapshotIo, record, OPENCLAW_PATHS);
  const res = await restoreSnapshot(
    { openshell: w.sb, ...snapshotIo },
    { record, sandbox: 'alpha', statePaths: OPENCLAW_PATHS, workDir: w.dir },
  );
  return { report, res };
}

/** Swaps in other archive bytes and re-records their size and hash, as a consistent pair. */
async function withArchive(record: SnapshotRecord, bytes: Buffer): Promise<SnapshotRecord> {
  await writeFile(record.archivePath, bytes);
  const got = await hashArchive(record.archivePath);
  const manifest = {
    ...record.manifest,
    archive: { ...record.manifest.archive, sha256: got.sha256, size: got.size },
  };
  return { ...record, manifest };
}

async function integrityOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(NemoclawError);
  expect((e as NemoclawError).kind).toBe('integrity');
  return (e as NemoclawError).message;
}

describe('a snapshot of an empty agent state', () => {
  it('is a valid empty tar.gz listing no files, which verifies and restores nothing', async () => {
    const before = treeDigest(join(w.sb.root, 'sandbox'));
    const { record, skipped } = await create('fresh');
    expect(skipped.map((s) => s.code)).toEqual(OPENCLAW_PATHS.map(() => 'absent'));
    expect(record.manifest.files).toEqual([]);
    expect(record.manifest.roots).toEqual([]);
    // A real tar stream: nothing but end-of-archive zero blocks.
    const tar = gunzipSync(readFileSync(record.archivePath));
    expect(tar.length).toBeGreaterThanOrEqual(1024);
    expect(tar.length % 512).toBe(0);
    expect(tar.every((b) => b === 0)).toBe(true);

    const { report, res } = await verifyAndRestore(record);
    expect(report).toMatchObject({ id: record.id, files: 0, bytes: 0 });
    expect(res.applied).toBe(true);
    expect(res.restored).toEqual([]);
    expect(res.skipped.map((s) => s.path)).toEqual([...OPENCLAW_PATHS].sort());
    expect(w.sb.calls.filter((c) => !c.startsWith('download'))).toEqual([]);
    expect(treeDigest(join(w.sb.root, 'sandbox'))).toBe(before);
    // No staging folder is left behind.
    expect(readdirSync(w.dir).filter((n) => n.startsWith('.restore-'))).toEqual([]);
  });

  it('holds nothing when the state folders exist but are empty and arrive as their contents', async () => {
    // OpenShell downloads a folder as its contents (ssh.rs sandbox_sync_down_directory), so an
    // empty folder lands as nothing.
    for (const p of OPENCLAW_PATHS.slice(0, 3)) mkdirSync(join(w.sb.root, p), { recursive: true });
    const plain = w.sb.sandboxDownload.bind(w.sb);
    w.sb.sandboxDownload = async (n, remote, localDir) => {
      const staged = join(w.dir, 'dl-stage');
      rmSync(staged, { recursive: true, force: true });
      mkdirSync(staged);
      await plain(n, remote, staged);
      const got = join(staged, basename(remote));
      for (const e of readdirSync(got))
        cpSync(join(got, e), join(localDir, e), { recursive: true });
    };
    const { record } = await create('empty-dirs');
    expect(record.manifest.files).toEqual([]);
    const { report, res } = await verifyAndRestore(record);
    expect(report.files).toBe(0);
    expect(res.restored).toEqual([]);
  });

  it('keeps empty state folders that arrive as folders, and restores them', async () => {
    for (const p of OPENCLAW_PATHS.slice(0, 3)) mkdirSync(join(w.sb.root, p), { recursive: true });
    const { record } = await create('dirs');
    expect(record.manifest.files.map((f) => f.type)).toEqual(['dir', 'dir', 'dir']);
    rmSync(join(w.sb.root, 'sandbox/.openclaw/memory'), { recursive: true });
    const { report, res } = await verifyAndRestore(record);
    expect(report.files).toBe(0);
    expect(res.restored.map((r) => r.path)).toEqual(OPENCLAW_PATHS.slice(0, 3).sort());
    expect(readdirSync(join(w.sb.root, 'sandbox/.openclaw')).sort()).toEqual([
      'canvas',
      'memory',
      'workspace',
    ]);
  });

  it('accepts the empty archive tar(1) writes (one 10 KiB record of zeros)', async () => {
    const { record } = await create('gnu');
    const gnu = await withArchive(record, gzipSync(Buffer.alloc(10240)));
    expect(await isEmptyTar(gnu.archivePath)).toBe(true);
    await expect(verifyAndRestore(gnu)).resolves.toMatchObject({ res: { restored: [] } });
  });

  it('still refuses an archive that holds entries the empty manifest does not list', async () => {
    const { record } = await create('smuggled');
    const bad = await withArchive(
      record,
      rawTarGz([{ path: 'sandbox/.openclaw/memory/x.md', type: 'File', body: 'x' }]),
    );
    expect(await isEmptyTar(bad.archivePath)).toBe(false);
    expect(await integrityOf(verifySnapshot(snapshotIo, bad, OPENCLAW_PATHS))).toMatch(
      /x\.md: (refused|not in the manifest)/,
    );
    const before = treeDigest(join(w.sb.root, 'sandbox'));
    await integrityOf(
      restoreSnapshot(
        { openshell: w.sb, ...snapshotIo },
        { record: bad, sandbox: 'alpha', statePaths: OPENCLAW_PATHS, workDir: w.dir },
      ),
    );
    expect(treeDigest(join(w.sb.root, 'sandbox'))).toBe(before);
  });

  it('refuses zeros that are not a whole tar (one block, a partial block, not gzip)', async () => {
    const { record } = await create('short');
    for (const bytes of [
      gzipSync(Buffer.alloc(512)),
      gzipSync(Buffer.alloc(1100)),
      Buffer.alloc(1024),
      gzipSync(Buffer.alloc(0)),
    ]) {
      const bad = await withArchive(record, bytes);
      expect(await isEmptyTar(bad.archivePath)).toBe(false);
      expect(await integrityOf(verifySnapshot(snapshotIo, bad, OPENCLAW_PATHS))).toMatch(
        /cannot be read/,
      );
    }
  });

  it('refuses an empty archive when the manifest lists files', async () => {
    const { record } = await create('lying');
    const lying = {
      ...record,
      manifest: {
        ...record.manifest,
        files: [
          {
            path: 'sandbox/.openclaw/openclaw.json',
            type: 'file' as const,
            size: 1,
            mode: 0o600,
            sha256: 'a'.repeat(64),
          },
        ],
      },
    };
    expect(await integrityOf(verifySnapshot(snapshotIo, lying, OPENCLAW_PATHS))).toMatch(
      /missing from the archive/,
    );
  });
});
