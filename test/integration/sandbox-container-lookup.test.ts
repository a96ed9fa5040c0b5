import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupRun,
  docker,
  importBusyboxImage,
  skipWithoutDocker,
  uniqueName,
  TEST_LABEL,
  RUN_ID,
} from '../helpers/docker.ts';
import { connectEngine, type DockerEngine } from '../../src/adapters/docker/engine.ts';
import {
  inspectSandboxContainer,
  MANAGED_BY_LABEL,
  SANDBOX_ID_LABEL,
  SANDBOX_NAME_LABEL,
} from '../../src/adapters/docker/sandboxes.ts';

const skip = await skipWithoutDocker('sandbox container lookup');

// Two gateways (or a gateway and a stale container) can each hold a sandbox of the same name on
// one Engine; OpenShell labels each with its own id (openshell-driver-docker/src/lib.rs).
describe.skipIf(skip)('inspectSandboxContainer', () => {
  const name = uniqueName('nc-lookup');
  let engine: DockerEngine;
  let ours: string;
  let theirs: string;
  const make = async (tag: string, id: string, run: boolean) => {
    const c = await docker().createContainer({
      Image: tag,
      Cmd: ['sleep', '600'],
      HostConfig: { NetworkMode: 'none' },
      Labels: {
        [TEST_LABEL]: RUN_ID,
        [MANAGED_BY_LABEL]: 'openshell',
        [SANDBOX_NAME_LABEL]: name,
        [SANDBOX_ID_LABEL]: id,
      },
    });
    if (run) await c.start();
    return c.id;
  };

  beforeAll(async () => {
    const tag = `${uniqueName('nc-test-bb')}:1`;
    await importBusyboxImage(tag);
    engine = await connectEngine(process.env);
    ours = await make(tag, 'id-ours', false); // this gateway's sandbox: its container is down
    theirs = await make(tag, 'id-theirs', true); // another gateway's, same name, running
  }, 120_000);
  afterAll(() => cleanupRun());

  it('with the id OpenShell reports, picks that container even when another one runs', async () => {
    const s = await inspectSandboxContainer(engine, name, 'id-ours');
    expect(s?.id).toBe(ours);
    expect(s?.running).toBe(false);
  });

  it('with an id no container carries, finds none rather than a same-named one', async () => {
    expect(await inspectSandboxContainer(engine, name, 'id-gone')).toBeUndefined();
  });

  it('without an id (gateway down), prefers the running one', async () => {
    expect((await inspectSandboxContainer(engine, name))?.id).toBe(theirs);
  });
});
