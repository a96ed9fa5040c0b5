import { describe, expect, it } from 'vitest';
import { NemoclawError } from '../../../../src/core/errors.ts';
import {
  downloadSkip,
  pathsToSave,
  snapshotManifest,
} from '../../../../src/core/snapshot/save-plan.ts';

describe('pathsToSave', () => {
  it('drops duplicates and paths inside another state path, sorted', () => {
    expect(
      pathsToSave(['/sandbox/.b', '/sandbox/.a/x', '/sandbox/.a', '/sandbox/.b', '/sandbox/.ab']),
    ).toEqual(['/sandbox/.a', '/sandbox/.ab', '/sandbox/.b']);
  });
});

describe('downloadSkip', () => {
  it('not-found is absent; any other failure is failed, with its message', () => {
    expect(downloadSkip('/p', new NemoclawError('not-found', 'gone'))).toEqual({
      path: '/p',
      reason: 'not present in the sandbox',
      code: 'absent',
    });
    expect(downloadSkip('/p', new Error('ssh broke'))).toEqual({
      path: '/p',
      reason: 'download failed: ssh broke',
      code: 'failed',
    });
  });
});

describe('snapshotManifest', () => {
  it('keeps as roots only the state paths the walk kept, sorted, and no packing fields', () => {
    const m = snapshotManifest({
      id: '20260101T000000Z-abcdef',
      name: undefined,
      now: new Date('2026-01-01T00:00:00.000Z'),
      nemoclawVersion: '0.0.0-test',
      source: {
        name: 'alpha',
        agent: 'openclaw',
        blueprintVersion: '0.1.0',
        blueprintDigest: `sha256:${'a'.repeat(64)}`,
        presets: ['npm'],
        customPolicies: [],
      },
      roots: [
        { path: '/sandbox/.z', type: 'dir' },
        { path: '/sandbox/.link', type: 'file' },
        { path: '/sandbox/.a', type: 'file' },
      ],
      entries: [
        { path: 'sandbox/.z', type: 'dir', size: 0, mode: 0o700 },
        { path: 'sandbox/.a', type: 'file', size: 1, mode: 0o600, sha256: 'f'.repeat(64) },
        Object.assign(
          { path: 'sandbox/.z/x', type: 'file' as const, size: 2, mode: 0o600 },
          { abs: '/tmp/x', mtime: new Date(0) },
        ),
      ],
      skipped: [{ path: '/sandbox/.link', reason: 'a symbolic link', code: 'refused' as const }],
      archive: { file: 'x.tar.gz', size: 10, sha256: 'e'.repeat(64) },
    });
    expect(m.roots.map((r) => r.path)).toEqual(['/sandbox/.a', '/sandbox/.z']);
    expect(m.name).toBeNull();
    expect(m.files[2]).toEqual({ path: 'sandbox/.z/x', type: 'file', size: 2, mode: 0o600 });
    expect(m.createdAt).toBe('2026-01-01T00:00:00.000Z');
  });
});
