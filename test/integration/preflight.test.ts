import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBlueprint } from '../../src/adapters/blueprint/resolve.ts';
import { connectEngine } from '../../src/adapters/docker/engine.ts';
import type { Blueprint } from '../../src/core/blueprint/schema.ts';
import { NemoclawError } from '../../src/core/errors.ts';
import type { CheckResult } from '../../src/core/preflight.ts';
import {
  assertPreflight,
  runPreflight,
  type PreflightDeps,
  type PreflightOptions,
} from '../../src/usecases/preflight.ts';
import {
  cleanupRun,
  docker,
  importBusyboxImage,
  RUN_ID,
  skipWithoutDocker,
  TEST_LABEL,
  uniqueName,
} from '../helpers/docker.ts';
import { realAdapters } from '../helpers/adapter-world.ts';
import { freePort } from '../helpers/net.ts';

/** The real world's areas; the Engine is connected from the test's env, as the CLI does from its. */
function world(d: Omit<PreflightDeps, keyof ReturnType<typeof realAdapters> | 'engine'>) {
  return { ...realAdapters(), engine: () => connectEngine(d.env), ...d };
}

const run = promisify(execFile);
const dirs: string[] = [];
const closers: (() => void)[] = [];
afterAll(() => {
  for (const c of closers) c();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'nc-pf-'));
  chmodSync(d, 0o755);
  dirs.push(d);
  return d;
}

let blueprint: Blueprint;
beforeAll(async () => {
  blueprint = (await resolveBlueprint({ packageRoot: process.cwd(), home: tmpdir() })).blueprint;
});

async function options(over: Partial<PreflightOptions> = {}): Promise<PreflightOptions> {
  return {
    blueprint,
    gatewayMode: 'local',
    gatewayPort: await freePort(),
    dashboardPort: await freePort(),
    gpu: { mode: 'off' },
    ...over,
  };
}

const byId = (rs: CheckResult[], id: string) => rs.find((r) => r.id === id)!;

async function engineCheck(env: Record<string, string>): Promise<CheckResult> {
  const rs = await runPreflight(
    world({ env: { PATH: process.env.PATH!, ...env }, pingTimeoutMs: 1500 }),
    await options(),
  );
  // Checks that need the Engine are not reported when it does not answer.
  expect(rs.map((r) => r.id)).not.toContain('docker.version');
  expect(() => assertPreflight(rs)).toThrow(NemoclawError);
  return byId(rs, 'docker.engine');
}

describe('preflight: why the Docker Engine does not answer', () => {
  it('no socket', async () => {
    const c = await engineCheck({ DOCKER_HOST: `unix:///tmp/nc-no-such-${RUN_ID}.sock` });
    expect(c.status).toBe('fail');
    expect(c.detail).toMatch(
      /there is no socket at unix:\/\/\/tmp\/nc-no-such-.*\(from DOCKER_HOST\)/,
    );
    expect(c.fix).toMatch(/Check DOCKER_HOST/);
  });

  it('daemon not running (a stale socket nobody listens on)', async () => {
    const sock = join(tempDir(), 'docker.sock');
    const child = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(sock)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    await new Promise((r) => child.on('exit', r));
    expect(existsSync(sock)).toBe(true);
    const c = await engineCheck({ DOCKER_HOST: `unix://${sock}` });
    expect(c.detail).toMatch(/daemon is not running/);
    expect(c.fix).toMatch(/systemctl start docker/);
  });

  it('DOCKER_HOST over TCP unreachable', async () => {
    const port = await freePort();
    const c = await engineCheck({ DOCKER_HOST: `tcp://127.0.0.1:${port}` });
    expect(c.detail).toBe(
      `The Docker Engine at tcp://127.0.0.1:${port} (from DOCKER_HOST) is unreachable.`,
    );
    expect(c.fix).toMatch(/unset DOCKER_HOST/);
  });

  it('an engine that accepts but never answers times out, bounded', async () => {
    const srv: Server = createServer(() => {});
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    closers.push(() => srv.close());
    const t0 = Date.now();
    const c = await engineCheck({
      DOCKER_HOST: `tcp://127.0.0.1:${(srv.address() as { port: number }).port}`,
    });
    expect(c.detail).toMatch(/did not answer in time/);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('something that is not Docker', async () => {
    const sock = join(tempDir(), 'not-docker.sock');
    const srv = createHttpServer((_q, r) => {
      r.statusCode = 404;
      r.end('nope');
    });
    await new Promise<void>((r) => srv.listen(sock, r));
    closers.push(() => srv.close());
    const c = await engineCheck({ DOCKER_HOST: `unix://${sock}` });
    expect(c.detail).toMatch(/not a Docker Engine/);
  });

  it('permission denied on the socket, with the docker group fix', async () => {
    const child = join(process.cwd(), 'test/helpers/engine-check-child.ts');
    let env: Record<string, string>;
    let uid: number | undefined;
    if (process.getuid?.() === 0) {
      // Root reads any socket: ask as "nobody" for the real, root:docker 0660 socket.
      if (!existsSync('/var/run/docker.sock')) return;
      uid = 65534;
      env = { PATH: process.env.PATH!, HOME: tempDir() };
    } else {
      const sock = join(tempDir(), 'locked.sock');
      const srv = createServer(() => {});
      await new Promise<void>((r) => srv.listen(sock, r));
      closers.push(() => srv.close());
      chmodSync(sock, 0o000);
      env = { PATH: process.env.PATH!, DOCKER_HOST: `unix://${sock}`, HOME: tempDir() };
    }
    const { stdout } = await run(process.execPath, [child], {
      env,
      uid,
      gid: uid,
      cwd: process.cwd(),
    });
    const c = JSON.parse(stdout) as CheckResult;
    expect(c.status).toBe('fail');
    expect(c.detail).toMatch(/^Permission denied on the Docker socket/);
    expect(c.fix).toContain('sudo usermod -aG docker $USER');
  });
});

const skip = await skipWithoutDocker('preflight against the engine');

describe.skipIf(skip)('preflight against the real engine', () => {
  let image: string;
  beforeAll(async () => {
    image = `${uniqueName('nc-test-pf')}:1`;
    await importBusyboxImage(image, { cmd: ['sh', '-c', 'trap "exit 0" TERM; sleep 1000 & wait'] });
  });
  afterAll(() => cleanupRun());

  it('passes with warnings only on a healthy host, and reports engine facts', async () => {
    const rs = await runPreflight(
      world({ env: process.env }),
      await options({
        openshellVersion: async () => ({ raw: 'openshell 0.0.111', version: '0.0.111' }),
      }),
    );
    const ids = rs.map((r) => r.id);
    expect(ids).toEqual([
      'docker.engine',
      'docker.version',
      'docker.cgroup',
      'host.memory',
      'host.swap',
      'host.disk',
      'host.landlock',
      'port.gateway',
      'port.gateway-health',
      'port.dashboard',
      'openshell.version',
      'gpu',
    ]);
    for (const r of rs) expect(r.status, `${r.id}: ${r.detail}`).not.toBe('fail');
    expect(byId(rs, 'docker.engine').detail).toMatch(/answers at unix:\/\//);
    expect(byId(rs, 'host.memory').detail).toMatch(/MiB RAM \+ \d+ MiB swap/);
    // The Engine's own kernel release is what the Landlock check reads.
    expect(byId(rs, 'host.landlock').detail).toMatch(/Linux \d+\.\d+/);
    expect(() => assertPreflight(rs)).not.toThrow();
  });

  it('names the process holding a port, and the override variable', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    closers.push(() => srv.close());
    const port = (srv.address() as { port: number }).port;
    const rs = await runPreflight(
      world({ env: process.env }),
      await options({ dashboardPort: port }),
    );
    const c = byId(rs, 'port.dashboard');
    expect(c.status).toBe('fail');
    expect(c.detail).toContain(`in use by process ${process.pid} (`);
    expect(c.fix).toContain(`kill ${process.pid}`);
    expect(c.fix).toContain('NEMOCLAW_DASHBOARD_PORT=<port>');
  });

  it("tells nemoclaw's own gateway container from a stranger's on the gateway port", async () => {
    const publish = async (name: string, port: number, extra: Record<string, string>) => {
      const c = await docker().createContainer({
        name,
        Image: image,
        Labels: { [TEST_LABEL]: RUN_ID, ...extra },
        ExposedPorts: { '8080/tcp': {} },
        HostConfig: {
          PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
        },
      });
      await c.start();
    };
    const ours = await freePort();
    const theirs = await freePort();
    await publish(uniqueName('nc-test-ours'), ours, {
      'ai.nvidia.nemoclaw.managed-by': 'nemoclaw',
    });
    const stranger = uniqueName('nc-test-stranger');
    await publish(stranger, theirs, {});
    const a = byId(
      await runPreflight(world({ env: process.env }), await options({ gatewayPort: ours })),
      'port.gateway',
    );
    expect(a.status).toBe('ok');
    expect(a.detail).toMatch(/nemoclaw's own container/);
    const b = byId(
      await runPreflight(world({ env: process.env }), await options({ gatewayPort: theirs })),
      'port.gateway',
    );
    expect(b.status).toBe('fail');
    expect(b.detail).toBe(`in use by container ${stranger}`);
    expect(b.fix).toContain(`docker stop ${stranger}`);
    // Remote mode runs no gateway here, so its port is not checked.
    const remote = await runPreflight(
      world({ env: process.env }),
      await options({ gatewayMode: 'remote', gatewayPort: theirs }),
    );
    expect(remote.map((r) => r.id)).not.toContain('port.gateway');
    expect(remote.map((r) => r.id)).not.toContain('port.gateway-health');
  });

  it('blocks on too little memory and explains exit 137', async () => {
    const proc = tempDir();
    writeFileSync(
      join(proc, 'meminfo'),
      'MemTotal:        2097152 kB\nSwapTotal:             0 kB\n',
    );
    mkdirSync(join(proc, 'net'));
    const rs = await runPreflight(world({ env: process.env, procRoot: proc }), await options());
    const m = byId(rs, 'host.memory');
    expect(m.status).toBe('fail');
    expect(m.detail).toMatch(/^2048 MiB RAM \+ 0 MiB swap \(this host\): far below the 8192 MiB/);
    expect(m.fix).toMatch(/exit code 137 was killed by the kernel OOM killer/);
    // Under 16 GiB with no swap: a warning before the build, with the swap fix; never blocking.
    const s = byId(rs, 'host.swap');
    expect(s.status).toBe('warn');
    expect(s.fix).toMatch(/swapon \/swapfile/);
    const err = (() => {
      try {
        assertPreflight(rs);
      } catch (e) {
        return e as NemoclawError;
      }
    })();
    expect(err?.message).toMatch(/1 blocking problem\(s\); nothing was created/);
    expect(err?.message).toContain('Memory: 2048 MiB');
  });

  it('checks the OpenShell binary and version through the client', async () => {
    const check = async (f: PreflightOptions['openshellVersion']) =>
      byId(
        await runPreflight(world({ env: process.env }), await options({ openshellVersion: f })),
        'openshell.version',
      );
    expect(
      (await check(async () => ({ raw: 'openshell 0.0.111', version: '0.0.111' }))).status,
    ).toBe('ok');
    const old = await check(async () => ({ raw: 'openshell 0.0.106', version: '0.0.106' }));
    expect(old.status).toBe('fail');
    expect(old.detail).toMatch(
      /0\.0\.106 is outside the range this blueprint supports \(0\.0\.111\)/,
    );
    const missing = await check(async () => {
      throw new NemoclawError('not-found', 'openshell: command not found');
    });
    expect(missing.detail).toBe('the openshell binary was not found');
    expect(missing.fix).toMatch(/install\.sh|NEMOCLAW_OPENSHELL_BIN/);
  });

  it('fails --gpu without a GPU or without the toolkit, and never for auto', async () => {
    const bin = tempDir();
    writeFileSync(join(bin, 'nvidia-smi'), "#!/bin/sh\necho 'NVIDIA L4, 23034'\n");
    chmodSync(join(bin, 'nvidia-smi'), 0o755);
    const empty = tempDir();
    const gpu = async (path: string, mode: PreflightOptions['gpu']) =>
      byId(
        await runPreflight(
          world({ env: { ...process.env, PATH: path }, cdiDirs: [] }),
          await options({ gpu: mode }),
        ),
        'gpu',
      );
    const none = await gpu(empty, { mode: 'on' });
    expect(none.status).toBe('fail');
    expect(none.detail).toMatch(/no NVIDIA GPU/);
    const noToolkit = await gpu(`${bin}:${empty}`, { mode: 'on' });
    expect(noToolkit.status).toBe('fail');
    expect(noToolkit.fix).toContain('nvidia-ctk cdi generate');
    expect((await gpu(`${bin}:${empty}`, { mode: 'auto' })).status).toBe('warn');
    expect((await gpu(empty, { mode: 'auto' })).status).toBe('ok');
  });
});
