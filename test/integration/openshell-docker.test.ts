/**
 * The Docker-backed path: a simulator sandbox is a real container, so exec returns the remote
 * exit code, upload and download move real bytes, logs read the container, and delete removes it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenshellClient } from '../../src/adapters/openshell/client.ts';
import type { OpenshellClient } from '../../src/adapters/openshell/types.ts';
import {
  RUN_ID,
  cleanupRun,
  docker,
  importBusyboxImage,
  skipWithoutDocker,
  uniqueName,
} from '../helpers/docker.ts';
import type { Simulator } from '../helpers/simulator.ts';
import { createSimulator, startHealthServer } from '../helpers/simulator.ts';

const skip = await skipWithoutDocker('openshell simulator with Docker');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.skipIf(skip)('simulator sandboxes are real containers', () => {
  let sim: Simulator;
  let gw: Awaited<ReturnType<typeof startHealthServer>>;
  let client: OpenshellClient;
  let work: string;
  const image = `${uniqueName('nc-sim-sandbox')}:1`;
  const name = 'dock-sb';

  beforeAll(async () => {
    await importBusyboxImage(image);
    sim = createSimulator({ docker: true, readyDelayMs: 200 });
    gw = await startHealthServer();
    work = mkdtempSync(join(tmpdir(), 'nc-sim-docker-'));
    client = createOpenshellClient({ gateway: 'nemoclaw', env: sim.env });
    await client.gatewayAdd(gw.url, { name: 'nemoclaw', local: true });
    await client.sandboxCreate({
      name,
      from: image,
      env: { GREETING: 'hello' },
      // Answers what `connect` types: v0.0.111 attaches to the main process.
      command: [
        '/bin/sh',
        '-c',
        'echo main-started; while read -r l; do echo "main got: $l"; done; exec sleep 3600',
      ],
    });
  });
  afterAll(async () => {
    sim?.cleanup();
    await gw?.close();
    rmSync(work, { recursive: true, force: true });
    await cleanupRun();
  });

  it('runs the --from image on the internal data-plane network with the OpenShell labels', async () => {
    const list = await docker().listContainers({
      filters: JSON.stringify({
        label: [`openshell.ai/sandbox-name=${name}`, `nemoclaw.test=${RUN_ID}`],
      }),
    });
    expect(list).toHaveLength(1);
    const c = list[0]!;
    expect(c.Image).toBe(image);
    expect(c.Labels['openshell.ai/managed-by']).toBe('openshell');
    // No route out: the simulator's internal network, whose only exit is the proxy.
    const net = await docker().getNetwork(c.HostConfig!.NetworkMode!).inspect();
    expect(net.Internal).toBe(true);
    expect((await client.sandboxGet(name))?.phase).toBe('Ready');
  });

  it('exec returns the remote exit code, output and stdin', async () => {
    const r = await client.sandboxExec(name, [
      'sh',
      '-c',
      'echo "$GREETING $(pwd)"; echo oops >&2; exit 3',
    ]);
    expect(r).toEqual({ exitCode: 3, stdout: 'hello /sandbox\n', stderr: 'oops\n' });
    const cat = await client.sandboxExec(name, ['cat'], { input: 'piped in\n' });
    expect(cat).toMatchObject({ exitCode: 0, stdout: 'piped in\n' });
    const wd = await client.sandboxExec(name, ['sh', '-c', 'pwd'], { workdir: '/tmp' });
    expect(wd.stdout).toBe('/tmp\n');
  });

  it('upload and download move real bytes, files and trees', async () => {
    const payload = randomBytes(256 * 1024);
    writeFileSync(join(work, 'blob.bin'), payload);
    mkdirSync(join(work, 'tree/sub'), { recursive: true });
    writeFileSync(join(work, 'tree/sub/note.txt'), 'deep\n');

    await client.sandboxUpload(name, join(work, 'blob.bin'), '/sandbox/in/');
    await client.sandboxUpload(name, join(work, 'tree'), '/sandbox/in/');
    const remote = await client.sandboxExec(name, ['sha256sum', '/sandbox/in/blob.bin']);
    expect(remote.stdout.split(' ')[0]).toBe(sha(payload));
    expect((await client.sandboxExec(name, ['cat', '/sandbox/in/tree/sub/note.txt'])).stdout).toBe(
      'deep\n',
    );

    const out = join(work, 'out');
    mkdirSync(out);
    await client.sandboxDownload(name, '/sandbox/in/blob.bin', out);
    expect(sha(readFileSync(join(out, 'blob.bin')))).toBe(sha(payload));
    await client.sandboxDownload(name, '/sandbox/in/tree', join(out, 'tree-copy'));
    expect(readFileSync(join(out, 'tree-copy/sub/note.txt'), 'utf8')).toBe('deep\n');

    const missing = await client
      .sandboxDownload(name, '/sandbox/nope', out)
      .catch((e: unknown) => e);
    // A missing remote path is not-found, so snapshots can tell "absent" from "failed".
    expect(missing).toMatchObject({ kind: 'not-found' });
  });

  it('connect attaches to the main process and detaches leaving it running; logs read it', async () => {
    expect(await client.sandboxConnect(name, { input: 'hello main\n' })).toBe(0);
    const lines = await client.logs(name, { source: 'sandbox' });
    expect(lines.some((l) => /\[sandbox\] \[INFO \] \[process\] main-started$/.test(l))).toBe(true);
    // The typed line reached the main process, not a new shell.
    expect(lines.some((l) => /main got: hello main$/.test(l))).toBe(true);
    expect((await client.sandboxGet(name))?.phase).toBe('Ready');
  });

  it('logs --tail follows until the caller aborts', async () => {
    const stop = new AbortController();
    const seen: string[] = [];
    const following = client.logs(name, {
      follow: true,
      tail: 1,
      source: 'sandbox',
      signal: stop.signal,
      onLine: (l) => {
        seen.push(l);
        if (l.endsWith('followed-line')) stop.abort();
      },
    });
    // Write until the follower has seen it: it may start following after the first write.
    for (let i = 0; i < 30 && !stop.signal.aborted; i++) {
      await client.sandboxExec(name, ['sh', '-c', 'echo followed-line > /proc/1/fd/1']);
      await new Promise((r) => setTimeout(r, 500));
    }
    const lines = await following;
    expect(lines.at(-1)).toMatch(/\[sandbox\] \[INFO \] \[process\] followed-line$/);
    expect(seen).toEqual(lines);
  });

  it('a main process that exits puts the sandbox in Error', async () => {
    const e = await client
      .sandboxCreate({ name: 'dies', from: image, command: ['/bin/sh', '-c', 'exit 4'] })
      .catch((x: unknown) => x);
    // As with the real gateway, create may see Ready before the main process exits (a loaded
    // host): then it returns, and the sandbox turns Error right after. Either way it ends in Error.
    if (e instanceof Error) {
      expect(e).toMatchObject({ kind: 'failed' });
      expect(e.message).toContain('main process exited with code 4');
    }
    let phase: string | undefined;
    for (let i = 0; i < 100 && phase !== 'Error'; i++) {
      phase = (await client.sandboxGet('dies'))?.phase;
      if (phase !== 'Error') await new Promise((r) => setTimeout(r, 200));
    }
    expect(phase).toBe('Error');
    await client.sandboxDelete('dies');
  });

  it('stop, start and delete drive the container', async () => {
    await client.sandboxStop(name);
    expect((await client.sandboxGet(name))?.phase).toBe('Stopped');
    await client.sandboxStart(name);
    expect((await client.sandboxExec(name, ['true'])).exitCode).toBe(0);
    await client.sandboxDelete(name);
    const left = await docker().listContainers({
      all: true,
      filters: JSON.stringify({
        label: [`openshell.ai/sandbox-name=${name}`, `nemoclaw.test=${RUN_ID}`],
      }),
    });
    expect(left).toHaveLength(0);
  });
});
