import { describe, expect, it } from 'vitest';
import { NemoclawError } from '../../../../src/core/errors.ts';
import { downloadSkip, pathsToSave } from '../../../../src/core/snapshot/save-plan.ts';

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
