/**
 * Hostile and damaged archives: each must be refused with kind `integrity` before the sandbox is
 * touched. The manifests here match the archive's hash, so the entry checks (not just the hash)
 * are what refuses them.
 */
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { extractArchive } from '../../../src/adapters/snapshot/archive.ts';
import { restoreSnapshot, verifySnapshot } from '../../../src/usecases/snapshot-restore.ts';
import { resolveSnapshot, type SnapshotRecord } from '../../../src/adapters/snapshot/store.ts';
import type { SnapshotFile, SnapshotManifest } from '../../../src/core/snapshot/manifest.ts';
import { treeDigest } from '../../helpers/fake-sandbox.ts';
import { rawTarGz, sha256, type RawEntry } from '../../helpers/snapshot-fixtures.ts';
import { snapshotIo, useSnapshotWorld } from '../../helpers/snapshot-world.ts';

const w = useSnapshotWorld('nc-snap-hostile-');
beforeEach(() => {
  mkdirSync(join(w.snapshotsDir, 'alpha'), { recursive: true });
});

const ID = '20260518T101500Z-abcdef';
const WS = 'sandbox/.openclaw/workspace';
const BODY = 'hello\n';

const benign: RawEntry[] = [
  { path: `${WS}/`, type: 'Directory', mode: 0o755 },
  { path: `${WS}/a.txt`, type: 'File', mode: 0o644, body: BODY },
];
const benignFiles: SnapshotFile[] = [
  { path: WS, type: 'dir', size: 0, mode: 0o755 },
  { path: `${WS}/a.txt`, type: 'file', size: BODY.length, mode: 0o644, sha256: sha256(BODY) },
];

function manifestFor(archive: Buffer, files: SnapshotFile[] = benignFiles): SnapshotManifest {
  return {
    schemaVersion: 1,
    id: ID,
    name: null,
    createdAt: '2026-05-18T10:15:00.000Z',
    nemoclawVersion: '0.1.0',
    sandbox: 'alpha',
    agent: 'openclaw',
    blueprint: { version: '0.1.0', digest: `sha256:${'a'.repeat(64)}` },
    presets: [],
    customPolicies: [],
    roots: [{ path: `/${WS}`, type: 'dir' }],
    skipped: [],
    files,
    archive: { file: `${ID}.tar.gz`, size: archive.length, sha256: sha256(archive) },
  };
}

async function install(archive: Buffer, manifest: SnapshotManifest): Promise<SnapshotRecord> {
  writeFileSync(join(w.snapshotsDir, 'alpha', `${ID}.tar.gz`), archive);
  writeFileSync(join(w.snapshotsDir, 'alpha', `${ID}.manifest.json`), JSON.stringify(manifest));
  return resolveSnapshot(w.snapshotsDir, 'alpha', ID);
}

async function expectRefused(record: SnapshotRecord, pattern: RegExp): Promise<void> {
  const before = treeDigest(w.sb.root);
  w.sb.calls.length = 0;
  await expect(verifySnapshot(snapshotIo, record, [`/${WS}`])).rejects.toMatchObject({
    kind: 'integrity',
  });
  const err = await restoreSnapshot(
    { openshell: w.sb, ...snapshotIo },
    { record, sandbox: 'alpha', statePaths: [`/${WS}`], workDir: w.dir, confirm: async () => true },
  ).catch((e: unknown) => e);
  expect(err).toMatchObject({ kind: 'integrity' });
  expect((err as Error).message).toMatch(pattern);
  expect(w.sb.calls).toEqual([]);
  expect(treeDigest(w.sb.root)).toBe(before);
  expect(existsSync(join(w.dir, 'escape'))).toBe(false);
}

const hostile: [string, RawEntry[], RegExp][] = [
  ['an absolute path', [{ path: '/etc/cron.d/evil', type: 'File', body: 'x' }], /absolute path/],
  [
    'a ../ escape',
    [{ path: `${WS}/../../../../escape`, type: 'File', body: 'x' }],
    /"\.\." path segment/,
  ],
  [
    'a symlink to /etc',
    [{ path: `${WS}/etc`, type: 'SymbolicLink', linkpath: '/etc' }],
    /link to an absolute path/,
  ],
  [
    'a relative symlink leaving the tree',
    [{ path: `${WS}/up`, type: 'SymbolicLink', linkpath: '../../../etc/passwd' }],
    /link that leaves its state path/,
  ],
  [
    'a symlink that climbs through a link',
    [{ path: `${WS}/sub/x`, type: 'SymbolicLink', linkpath: 'y/../..' }],
    /climbs after descending/,
  ],
  [
    'a file written through an in-tree symlink',
    [
      { path: `${WS}/l`, type: 'SymbolicLink', linkpath: 'sub' },
      { path: `${WS}/l/evil`, type: 'File', body: 'x' },
    ],
    /below a symbolic link/,
  ],
  ['a hard link', [{ path: `${WS}/h`, type: 'Link', linkpath: `${WS}/a.txt` }], /hard link/],
  ['a character device', [{ path: `${WS}/tty`, type: 'CharacterDevice' }], /character device/],
  ['a block device', [{ path: `${WS}/sda`, type: 'BlockDevice' }], /block device/],
  ['a FIFO', [{ path: `${WS}/pipe`, type: 'FIFO' }], /FIFO/],
  [
    'a set-uid file',
    [{ path: `${WS}/suid`, type: 'File', mode: 0o4755, body: 'x' }],
    /set-user-id/,
  ],
  [
    'a path outside every state path',
    [{ path: 'sandbox/.openclaw/identity/x', type: 'File', body: 'x' }],
    /outside every state path/,
  ],
  [
    'an entry not in the manifest',
    [{ path: `${WS}/extra.txt`, type: 'File', body: 'x' }],
    /not in the manifest/,
  ],
  [
    'a second entry for the same path',
    [{ path: `${WS}/a.txt`, type: 'File', body: 'evil\n' }],
    /second entry for the same path/,
  ],
];

describe('restore refuses hostile archives and leaves the sandbox unchanged', () => {
  it.each(hostile)('%s', async (_what, extra, pattern) => {
    const archive = rawTarGz([...benign, ...extra]);
    await expectRefused(await install(archive, manifestFor(archive)), pattern);
  });

  it('content that does not match the manifest sha256', async () => {
    const archive = rawTarGz([benign[0]!, { ...benign[1]!, body: 'hellO\n' }]);
    await expectRefused(await install(archive, manifestFor(archive)), /content sha256/);
  });

  it('a manifest entry missing from the archive', async () => {
    const archive = rawTarGz(benign);
    const files = [
      ...benignFiles,
      { path: `${WS}/b.txt`, type: 'file' as const, size: 1, mode: 0o644, sha256: sha256('b') },
    ];
    await expectRefused(
      await install(archive, manifestFor(archive, files)),
      /missing from the archive/,
    );
  });

  it('a mode that differs from the manifest', async () => {
    const archive = rawTarGz([benign[0]!, { ...benign[1]!, mode: 0o777 }]);
    await expectRefused(await install(archive, manifestFor(archive)), /mode 777 in the archive/);
  });
});

describe('restore refuses damaged archives', () => {
  const good = () => rawTarGz(benign);

  it('a truncated archive', async () => {
    const archive = good();
    const m = manifestFor(archive);
    await expectRefused(
      await install(archive.subarray(0, archive.length - 40), m),
      /bytes, the manifest says/,
    );
  });

  it('a bit-flipped archive', async () => {
    const archive = Buffer.from(good());
    const m = manifestFor(archive);
    archive[Math.floor(archive.length / 2)]! ^= 0x10;
    await expectRefused(await install(archive, m), /archive sha256 .* does not match/);
  });

  it('a truncated archive whose manifest was rewritten to match it', async () => {
    const archive = good().subarray(0, 60);
    await expectRefused(
      await install(archive, manifestFor(archive)),
      /cannot be read|missing from the archive/,
    );
  });

  it('an archive cut in the middle of a file, with a manifest rewritten to match', async () => {
    const { randomBytes } = await import('node:crypto');
    const big = randomBytes(200_000);
    const full = rawTarGz([benign[0]!, { path: `${WS}/big.bin`, type: 'File', body: big }]);
    const archive = full.subarray(0, Math.floor(full.length / 2));
    const files: SnapshotFile[] = [
      benignFiles[0]!,
      { path: `${WS}/big.bin`, type: 'file', size: big.length, mode: 0o644, sha256: sha256(big) },
    ];
    await expectRefused(await install(archive, manifestFor(archive, files)), /cannot be read/);
  });

  it('a valid gzip that is not a tar', async () => {
    const { gzipSync } = await import('node:zlib');
    const archive = gzipSync(Buffer.alloc(4096, 0x41));
    await expectRefused(await install(archive, manifestFor(archive)), /cannot be read|missing/);
  });
});

describe('extraction refuses on its own, too', () => {
  it('writes nothing outside the staging folder even without the inspection pass', async () => {
    const outside = join(w.dir, 'escape');
    const archive = rawTarGz([
      ...benign,
      { path: `${outside}/abs`, type: 'File', body: 'x' },
      { path: `${WS}/../../../escape/rel`, type: 'File', body: 'x' },
    ]);
    const dest = join(w.dir, 'stage');
    mkdirSync(dest);
    const archivePath = join(w.dir, 'a.tar.gz');
    writeFileSync(archivePath, archive);
    await expect(extractArchive(archivePath, manifestFor(archive), dest)).rejects.toMatchObject({
      kind: 'integrity',
    });
    expect(existsSync(outside)).toBe(false);
    expect(readFileSync(join(dest, WS, 'a.txt'), 'utf8')).toBe(BODY);
  });
});

describe('restore targets come from the blueprint, never from the manifest (issue 18 item 1)', () => {
  /** A well-formed archive and manifest whose single root is `root`. */
  function rooted(root: string, type: 'dir' | 'file' = 'dir') {
    const ap = root.slice(1);
    const entries: RawEntry[] =
      type === 'dir'
        ? [
            { path: `${ap}/`, type: 'Directory', mode: 0o755 },
            { path: `${ap}/evil.sh`, type: 'File', mode: 0o644, body: 'echo pwned\n' },
          ]
        : [{ path: ap, type: 'File', mode: 0o644, body: 'echo pwned\n' }];
    const files: SnapshotFile[] =
      type === 'dir'
        ? [
            { path: ap, type: 'dir', size: 0, mode: 0o755 },
            {
              path: `${ap}/evil.sh`,
              type: 'file',
              size: 11,
              mode: 0o644,
              sha256: sha256('echo pwned\n'),
            },
          ]
        : [{ path: ap, type: 'file', size: 11, mode: 0o644, sha256: sha256('echo pwned\n') }];
    const archive = rawTarGz(entries);
    return { archive, manifest: { ...manifestFor(archive, files), roots: [{ path: root, type }] } };
  }

  it.each([
    ['/sandbox', 'dir'],
    ['/sandbox/.bashrc', 'file'],
    ['/etc', 'dir'],
    ['/sandbox/.openclaw', 'dir'],
    ['/sandbox/.openclaw/workspace/sub', 'dir'],
  ] as const)('a hand-made root of %s is refused by verify and restore', async (root, type) => {
    const { archive, manifest } = rooted(root, type);
    await expectRefused(await install(archive, manifest), /not a state path of the agent/);
  });

  it('a root named twice is refused', async () => {
    const archive = rawTarGz(benign);
    const m = manifestFor(archive);
    await expectRefused(
      await install(archive, { ...m, roots: [m.roots[0]!, m.roots[0]!] }),
      /twice/,
    );
  });
});
