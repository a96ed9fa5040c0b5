import { chmodSync, mkdirSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSnapshot } from '../../../src/usecases/snapshot-create.ts';
import { restoreSnapshot, verifySnapshot } from '../../../src/usecases/snapshot-restore.ts';
import { listSnapshots, resolveSnapshot } from '../../../src/adapters/snapshot/store.ts';
import { treeDigest, type FakeClient } from '../../helpers/fake-sandbox.ts';
import { OPENCLAW_PATHS, SOURCE } from '../../helpers/snapshot-fixtures.ts';
import { snapshotIo, useSnapshotWorld } from '../../helpers/snapshot-world.ts';

const w = useSnapshotWorld('nc-snap-rt-');

const stateDigest = () => treeDigest(join(w.sb.root, 'sandbox/.openclaw'));

describe('snapshot round trip on a folder-backed sandbox', () => {
  it('restores every byte, mode, path and link, and removes what was added since', async () => {
    const before = stateDigest();
    const created = await createSnapshot(
      { openshell: w.sb, ...snapshotIo },
      {
        snapshotsDir: w.snapshotsDir,
        source: SOURCE,
        // A nested and a repeated path are saved once, with their parent.
        statePaths: [...OPENCLAW_PATHS, '/sandbox/.openclaw/workspace/tools', OPENCLAW_PATHS[0]!],
        name: 'before-change',
      },
    );
    expect(created.skipped).toEqual([
      { path: '/sandbox/.openclaw/canvas', reason: 'not present in the sandbox', code: 'absent' },
    ]);
    const m = created.record.manifest;
    expect(m.roots.map((r) => r.path)).toEqual([
      '/sandbox/.openclaw/memory',
      '/sandbox/.openclaw/openclaw.json',
      '/sandbox/.openclaw/workspace',
    ]);
    expect(m.files.find((f) => f.path.endsWith('tools/run.sh'))?.mode).toBe(0o755);
    expect(m.files.find((f) => f.path.endsWith('soul-link'))).toMatchObject({
      type: 'symlink',
      target: 'SOUL.md',
    });
    expect(m.presets).toEqual(['npm', 'pypi']);

    // Change the agent's memory: edit, delete, add, chmod.
    const ws = join(w.sb.root, 'sandbox/.openclaw/workspace');
    writeFileSync(join(ws, 'SOUL.md'), '# changed\n');
    rmSync(join(ws, 'deep'), { recursive: true });
    writeFileSync(join(ws, 'new-since.txt'), 'should disappear\n');
    chmodSync(join(ws, 'tools/run.sh'), 0o644);
    rmSync(join(w.sb.root, 'sandbox/.openclaw/openclaw.json'));
    writeFileSync(join(w.sb.root, 'sandbox/.openclaw/identity/device.json'), '{"id":2}\n');
    const identity = treeDigest(join(w.sb.root, 'sandbox/.openclaw/identity'));
    expect(stateDigest()).not.toBe(before);

    const record = await resolveSnapshot(w.snapshotsDir, 'alpha', 'before-change');
    const res = await restoreSnapshot(
      { openshell: w.sb, ...snapshotIo },
      { record, sandbox: 'alpha', statePaths: OPENCLAW_PATHS, workDir: w.dir },
    );
    expect(res.applied).toBe(true);
    expect(res.restored.map((r) => r.path)).toEqual(m.roots.map((r) => r.path));
    expect(res.skipped).toEqual([
      {
        path: '/sandbox/.openclaw/canvas',
        reason: 'it was not in the sandbox when the snapshot was taken; left as it is',
      },
    ]);
    // identity/ is not a state path: it keeps its post-snapshot change, everything else is back.
    expect(treeDigest(join(w.sb.root, 'sandbox/.openclaw/identity'))).toBe(identity);
    writeFileSync(join(w.sb.root, 'sandbox/.openclaw/identity/device.json'), '{"id":1}\n');
    expect(stateDigest()).toBe(before);
    // No temporary folders left behind in the sandbox or in the work folder.
    expect(
      readdirSync(join(w.sb.root, 'sandbox/.openclaw')).filter((n) => n.startsWith('.')),
    ).toEqual([]);
    expect(readdirSync(w.dir).filter((n) => n.startsWith('.restore'))).toEqual([]);
  });

  it('lists, numbers and verifies snapshots; ignores temp files and archives without manifest', async () => {
    const a = await createSnapshot(
      { openshell: w.sb, ...snapshotIo },
      {
        snapshotsDir: w.snapshotsDir,
        source: SOURCE,
        statePaths: OPENCLAW_PATHS,
        now: new Date('2026-01-01T00:00:00Z'),
      },
    );
    const b = await createSnapshot(
      { openshell: w.sb, ...snapshotIo },
      {
        snapshotsDir: w.snapshotsDir,
        source: SOURCE,
        statePaths: OPENCLAW_PATHS,
        name: 'second',
        now: new Date('2026-01-02T00:00:00Z'),
      },
    );
    const sdir = join(w.snapshotsDir, 'alpha');
    writeFileSync(join(sdir, '.20260103T000000Z-abcdef.tar.gz.tmp'), 'partial');
    writeFileSync(join(sdir, '20260104T000000Z-abcdef.tar.gz'), 'orphan');
    const { snapshots } = await listSnapshots(w.snapshotsDir, 'alpha');
    expect(snapshots.map((s) => [s.version, s.id, s.name])).toEqual([
      [1, a.record.id, null],
      [2, b.record.id, 'second'],
    ]);
    expect((await resolveSnapshot(w.snapshotsDir, 'alpha', 'latest')).id).toBe(b.record.id);
    expect((await resolveSnapshot(w.snapshotsDir, 'alpha', 'v1')).id).toBe(a.record.id);
    const report = await verifySnapshot(snapshotIo, snapshots[0]!, OPENCLAW_PATHS);
    expect(report.files).toBeGreaterThan(5);
    await expect(
      createSnapshot(
        { openshell: w.sb, ...snapshotIo },
        {
          snapshotsDir: w.snapshotsDir,
          source: SOURCE,
          statePaths: OPENCLAW_PATHS,
          name: 'second',
        },
      ),
    ).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('saves what it can when one path fails to download, and says so', async () => {
    const failing: FakeClient = {
      ...w.sb,
      async sandboxDownload(n, remote, local) {
        if (remote.endsWith('/memory')) throw new Error('Permission denied');
        return w.sb.sandboxDownload(n, remote, local);
      },
    };
    const r = await createSnapshot(
      { openshell: failing, ...snapshotIo },
      { snapshotsDir: w.snapshotsDir, source: SOURCE, statePaths: OPENCLAW_PATHS },
    );
    expect(r.skipped).toContainEqual({
      path: '/sandbox/.openclaw/memory',
      reason: 'download failed: Permission denied',
      code: 'failed',
    });
    await verifySnapshot(snapshotIo, r.record, OPENCLAW_PATHS);
  });

  it('leaves links that leave their state path out, with a reason', async () => {
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/etc/passwd', join(w.sb.root, 'sandbox/.openclaw/workspace/escape'));
    symlinkSync('../memory/2026-05-18.md', join(w.sb.root, 'sandbox/.openclaw/workspace/sideways'));
    const r = await createSnapshot(
      { openshell: w.sb, ...snapshotIo },
      { snapshotsDir: w.snapshotsDir, source: SOURCE, statePaths: OPENCLAW_PATHS },
    );
    expect(r.skipped.map((s) => [s.path, s.code])).toEqual(
      expect.arrayContaining([
        ['/sandbox/.openclaw/workspace/escape', 'refused'],
        ['/sandbox/.openclaw/workspace/sideways', 'refused'],
      ]),
    );
    await verifySnapshot(snapshotIo, r.record, OPENCLAW_PATHS);
  });

  it('stops before touching the sandbox when confirmation is declined, and on a failed upload', async () => {
    await createSnapshot(
      { openshell: w.sb, ...snapshotIo },
      { snapshotsDir: w.snapshotsDir, source: SOURCE, statePaths: OPENCLAW_PATHS },
    );
    writeFileSync(join(w.sb.root, 'sandbox/.openclaw/workspace/SOUL.md'), '# changed\n');
    const changed = stateDigest();
    const record = await resolveSnapshot(w.snapshotsDir, 'alpha', undefined);
    w.sb.calls.length = 0;
    const declined = await restoreSnapshot(
      { openshell: w.sb, ...snapshotIo },
      {
        record,
        sandbox: 'alpha',
        statePaths: OPENCLAW_PATHS,
        workDir: w.dir,
        confirm: async () => false,
      },
    );
    expect(declined.applied).toBe(false);
    expect(w.sb.calls).toEqual([]);
    w.sb.failUpload = true;
    await expect(
      restoreSnapshot(
        { openshell: w.sb, ...snapshotIo },
        { record, sandbox: 'alpha', statePaths: OPENCLAW_PATHS, workDir: w.dir },
      ),
    ).rejects.toMatchObject({ kind: 'failed' });
    expect(stateDigest()).toBe(changed);
  });

  it('removes staging folders of dead processes, never snapshots', async () => {
    const { spawnSync } = await import('node:child_process');
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const first = await createSnapshot(
      { openshell: w.sb, ...snapshotIo },
      { snapshotsDir: w.snapshotsDir, source: SOURCE, statePaths: OPENCLAW_PATHS },
    );
    const sdir = join(w.snapshotsDir, 'alpha');
    mkdirSync(join(sdir, `.staging-${deadPid}-abcd1234`, 'tree'), { recursive: true });
    mkdirSync(join(sdir, `.staging-${process.pid}-0000beef`));
    await createSnapshot(
      { openshell: w.sb, ...snapshotIo },
      { snapshotsDir: w.snapshotsDir, source: SOURCE, statePaths: OPENCLAW_PATHS },
    );
    const names = readdirSync(sdir);
    expect(names).not.toContain(`.staging-${deadPid}-abcd1234`);
    expect(names).toContain(`.staging-${process.pid}-0000beef`);
    expect(names).toContain(`${first.record.id}.tar.gz`);
    const { deleteSnapshotFiles } = await import('../../../src/adapters/snapshot/store.ts');
    await deleteSnapshotFiles(first.record);
    expect((await listSnapshots(w.snapshotsDir, 'alpha')).snapshots).toHaveLength(1);
  });

  it('writes archives GNU tar reads, and keeps odd folder modes exactly', async () => {
    const odd = join(w.sb.root, 'sandbox/.openclaw/workspace/odd-mode');
    mkdirSync(odd);
    writeFileSync(join(odd, 'x'), 'x');
    chmodSync(odd, 0o640);
    const before = stateDigest();
    const r = await createSnapshot(
      { openshell: w.sb, ...snapshotIo },
      { snapshotsDir: w.snapshotsDir, source: SOURCE, statePaths: OPENCLAW_PATHS },
    );
    expect(r.record.manifest.files.find((f) => f.path.endsWith('/odd-mode'))?.mode).toBe(0o640);
    const { spawnSync } = await import('node:child_process');
    const gnu = spawnSync('tar', ['tzf', r.record.archivePath], { encoding: 'utf8' });
    expect(gnu.status).toBe(0);
    expect(gnu.stdout).toContain(`sandbox/.openclaw/workspace/${'long-name-'.repeat(12)}.txt`);
    expect(gnu.stdout).toContain('sandbox/.openclaw/workspace/ünïcødé-名前.md');
    rmSync(join(w.sb.root, 'sandbox/.openclaw/workspace'), { recursive: true, force: true });
    await restoreSnapshot(
      { openshell: w.sb, ...snapshotIo },
      { record: r.record, sandbox: 'alpha', statePaths: OPENCLAW_PATHS, workDir: w.dir },
    );
    expect(stateDigest()).toBe(before);
  });

  it('changes nothing when an upload lands elsewhere, and puts a path back when its swap fails', async () => {
    const r = await createSnapshot(
      { openshell: w.sb, ...snapshotIo },
      { snapshotsDir: w.snapshotsDir, source: SOURCE, statePaths: OPENCLAW_PATHS },
    );
    writeFileSync(join(w.sb.root, 'sandbox/.openclaw/workspace/SOUL.md'), '# changed\n');
    const changed = stateDigest();
    const cfgBefore = treeDigest(join(w.sb.root, 'sandbox/.openclaw/openclaw.json'));
    const wsBefore = treeDigest(join(w.sb.root, 'sandbox/.openclaw/workspace'));
    // An OpenShell that writes a folder's contents instead of the folder.
    const contents: FakeClient = {
      ...w.sb,
      async sandboxUpload(_n, local, remoteDir = '/sandbox') {
        const { copyTree } = await import('../../helpers/fake-sandbox.ts');
        const { lstatSync } = await import('node:fs');
        if (!lstatSync(local).isDirectory()) return w.sb.sandboxUpload(_n, local, remoteDir);
        for (const n of readdirSync(local)) copyTree(join(local, n), join(w.sb.root, remoteDir, n));
      },
    };
    await expect(
      restoreSnapshot(
        { openshell: contents, ...snapshotIo },
        { record: r.record, sandbox: 'alpha', statePaths: OPENCLAW_PATHS, workDir: w.dir },
      ),
    ).rejects.toMatchObject({ kind: 'failed', message: expect.stringMatching(/did not arrive/) });
    expect(stateDigest()).toBe(changed);

    // The second `mv` into place fails: the previous content must come back.
    let moves = 0;
    const flaky: FakeClient = {
      ...w.sb,
      async sandboxExec(n, argv, o) {
        if (argv[0] === 'mv' && argv[2]?.includes('.nemoclaw-restore-') && ++moves === 2) {
          return { exitCode: 1, stdout: '', stderr: 'mv: injected failure' };
        }
        return w.sb.sandboxExec(n, argv, o);
      },
    };
    const err = (await restoreSnapshot(
      { openshell: flaky, ...snapshotIo },
      { record: r.record, sandbox: 'alpha', statePaths: OPENCLAW_PATHS, workDir: w.dir },
    ).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ kind: 'failed' });
    expect(err.message).toMatch(/stopped at/);
    // openclaw.json's swap failed: it was put back. workspace/ was not reached: still changed.
    // The temp folder stays (it may hold the only copy if putting back had failed too).
    expect(err.message).toMatch(/openclaw\.json/);
    expect(treeDigest(join(w.sb.root, 'sandbox/.openclaw/openclaw.json'))).toBe(cfgBefore);
    expect(treeDigest(join(w.sb.root, 'sandbox/.openclaw/workspace'))).toBe(wsBefore);
    // The swap fails and so does putting the previous content back: the error says where it is.
    let moves2 = 0;
    const stuck: FakeClient = {
      ...w.sb,
      async sandboxExec(n, argv, o) {
        if (
          argv[0] === 'mv' &&
          argv[2]?.includes('.nemoclaw-restore-') &&
          [2, 3].includes(++moves2)
        ) {
          return { exitCode: 1, stdout: '', stderr: `mv: injected failure ${moves2}` };
        }
        return w.sb.sandboxExec(n, argv, o);
      },
    };
    const lost = (await restoreSnapshot(
      { openshell: stuck, ...snapshotIo },
      { record: r.record, sandbox: 'alpha', statePaths: OPENCLAW_PATHS, workDir: w.dir },
    ).catch((e: unknown) => e)) as Error;
    expect(lost).toMatchObject({ kind: 'failed' });
    expect(lost.message).toMatch(
      /stopped at \/sandbox\/\.openclaw\/openclaw\.json: Could not replace \/sandbox\/\.openclaw\/openclaw\.json \(.*injected failure 2.*\), and could not put its previous content back from \/.*\.nemoclaw-restore-.*\/\.previous-openclaw\.json \(.*injected failure 3.*\)\./,
    );
    // Running the restore again finishes the job.
    await restoreSnapshot(
      { openshell: w.sb, ...snapshotIo },
      { record: r.record, sandbox: 'alpha', statePaths: OPENCLAW_PATHS, workDir: w.dir },
    );
    writeFileSync(join(w.sb.root, 'sandbox/.openclaw/workspace/SOUL.md'), '# changed\n');
    expect(stateDigest()).toBe(changed);
  });
});
