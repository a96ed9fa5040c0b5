import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanupRun,
  docker,
  importBusyboxImage,
  skipWithoutDocker,
  uniqueName,
  TEST_LABEL,
  RUN_ID,
} from '../helpers/docker.ts';

const skip = await skipWithoutDocker('docker test helper');

describe.skipIf(skip)('local stand-in images', () => {
  afterAll(() => cleanupRun());

  it('imports a busybox rootfs and runs it with no network', async () => {
    const tag = `${uniqueName('nc-test-bb')}:1`;
    await importBusyboxImage(tag, {
      extra: [
        { path: '/usr/local/bin/hello', content: '#!/bin/sh\necho hello "$@"\n', mode: 0o755 },
      ],
    });
    const d = docker();
    const c = await d.createContainer({
      Image: tag,
      Cmd: ['hello', 'world'],
      HostConfig: { NetworkMode: 'none' },
      Labels: { [TEST_LABEL]: RUN_ID },
    });
    await c.start();
    await c.wait();
    const logs = (await c.logs({ stdout: true, stderr: true })).toString('utf8');
    expect(logs).toContain('hello world');
    await c.remove({ force: true });
  });
});
