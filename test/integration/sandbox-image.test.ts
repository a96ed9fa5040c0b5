import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  resolveBlueprint,
  verifyOrThrow,
  type ResolvedBlueprint,
} from '../../src/adapters/blueprint/resolve.ts';
import { connectEngine, type DockerEngine } from '../../src/adapters/docker/engine.ts';
import { NemoclawError } from '../../src/core/errors.ts';
import { agentConfigFor } from '../../src/usecases/agent-config.ts';
import { buildCustomSandboxImage, buildSandboxImage } from '../../src/usecases/sandbox-image.ts';
import { realAdapters } from '../helpers/adapter-world.ts';
import {
  cleanupRun,
  docker,
  importBusyboxImage,
  RUN_ID,
  skipWithoutDocker,
  TEST_LABEL,
  uniqueName,
} from '../helpers/docker.ts';

const skip = await skipWithoutDocker('sandbox image build');
const labels = { [TEST_LABEL]: RUN_ID };
const CANARY = `nvapi-canary-${RUN_ID}-do-not-leak`;

describe.skipIf(skip)('sandbox image', () => {
  let engine: DockerEngine;
  let bp: ResolvedBlueprint;
  let digest: string;
  let base: string;
  let agentConfig: Awaited<ReturnType<typeof agentConfigFor>>;
  const dirs: string[] = [];

  beforeAll(async () => {
    engine = await connectEngine(process.env);
    bp = await resolveBlueprint({ packageRoot: process.cwd(), home: tmpdir(), spec: '0.1.0' });
    digest = (await verifyOrThrow(bp)).actual;
    base = `${uniqueName('nc-test-base')}:1`;
    await importBusyboxImage(base);
    agentConfig = await agentConfigFor(realAdapters(), {
      blueprint: bp,
      agent: 'openclaw',
      sandbox: 'image-test',
      provider: 'build',
      model: 'test-model',
      hostPort: 18789,
      channels: [],
    });
  });
  afterAll(async () => {
    await cleanupRun();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('builds the blueprint Dockerfile on the base image, tagged by content, and skips an existing tag', async () => {
    // A secret-looking variable in both the process env and the env the use case sees.
    process.env.NVIDIA_API_KEY = CANARY;
    try {
      const env = { ...process.env, NEMOCLAW_SANDBOX_BASE_IMAGE: base, NVIDIA_API_KEY: CANARY };
      const progress: string[] = [];
      const log: string[] = [];
      const status: { n?: number; of?: number; bytes: number }[] = [];
      const r = await buildSandboxImage(
        {
          ...realAdapters(),
          engine,
          env,
          onProgress: (l) => progress.push(l),
          onBuildLog: (l) => log.push(l),
          onStatus: (st) => status.push({ n: st.step?.n, of: st.step?.of, bytes: st.contextBytes }),
        },
        {
          blueprint: bp,
          blueprintDigest: digest,
          agent: 'openclaw',
          extraLabels: labels,
          agentConfig,
        },
      );
      expect(r.built).toBe(true);
      expect(r.tag).toMatch(/^nemoclaw-sandbox-openclaw:0\.1\.0-[0-9a-f]{12}$/);
      // The build log goes to its own sink (the log file); progress gets only nemoclaw's lines.
      expect(log.some((l) => /^Step \d+\/\d+ : COPY nemoclaw-start/.test(l))).toBe(true);
      expect(progress.some((l) => /^Step /.test(l))).toBe(false);
      // The one-line status: the context bytes grow to the whole context, then every step in order.
      const sent = status.at(-1)!.bytes;
      expect(sent).toBeGreaterThan(0);
      const steps = status.filter((x) => x.n !== undefined);
      expect(steps.map((x) => x.n)).toEqual(Array.from({ length: steps[0]!.of! }, (_, i) => i + 1));
      expect(steps.every((x) => x.bytes === sent)).toBe(true);

      const img = await docker().getImage(r.tag).inspect();
      expect(img.Config.Labels).toMatchObject({
        'ai.nvidia.nemoclaw.managed-by': 'nemoclaw',
        'ai.nvidia.nemoclaw.agent': 'openclaw',
        'ai.nvidia.nemoclaw.blueprint': '0.1.0',
        'ai.nvidia.nemoclaw.blueprint-digest': digest,
      });
      expect(img.Config.Env).toContain('NEMOCLAW_AGENT=openclaw');
      // No secret in labels, env, or the history (where build args are recorded).
      const history = await docker().getImage(r.tag).history();
      const everything = JSON.stringify({ img, history });
      expect(everything).not.toContain(CANARY);
      expect(everything).not.toContain('NVIDIA_API_KEY');

      // The start script landed executable.
      const c = await docker().createContainer({
        Image: r.tag,
        Cmd: ['stat', '-c', '%a', '/usr/local/bin/nemoclaw-start'],
        Labels: labels,
        HostConfig: { NetworkMode: 'none' },
      });
      await c.start();
      await c.wait();
      expect((await c.logs({ stdout: true })).toString()).toContain('755');
      await c.remove({ force: true });

      const again = await buildSandboxImage(
        { ...realAdapters(), engine, env },
        { blueprint: bp, blueprintDigest: digest, agent: 'openclaw', agentConfig },
      );
      expect(again).toMatchObject({ tag: r.tag, built: false });
    } finally {
      delete process.env.NVIDIA_API_KEY;
    }
  });

  it('names the base image and its override when the base cannot be found', async () => {
    const env = { NEMOCLAW_SANDBOX_BASE_IMAGE: `nemoclaw-test-no-base-${RUN_ID}:0` };
    const err = await buildSandboxImage(
      { ...realAdapters(), engine, env },
      { blueprint: bp, blueprintDigest: digest, agent: 'hermes', agentConfig },
    ).catch((e: unknown) => e);
    expect((err as NemoclawError).kind).toBe('not-found');
    expect((err as NemoclawError).hint).toContain('NEMOCLAW_SANDBOX_BASE_IMAGE');
  });

  function userContext(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'nc-from-'));
    dirs.push(dir);
    for (const [p, content] of Object.entries(files)) {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), content);
    }
    return dir;
  }

  it('--from builds a user Dockerfile from a filtered context, and warns on a large one', async () => {
    const dir = userContext({
      Dockerfile: `FROM ${base}\nCOPY . /ctx\nRUN find /ctx -type f | sort\n`,
      'app/main.sh': 'echo hi\n',
      '.env': 'NVIDIA_API_KEY=leak\n',
      '.env.local': 'X=1\n',
      '.git/config': '[core]\n',
      'node_modules/x/index.js': '1\n',
      '.ssh/id_ed25519': 'key\n',
      'certs/server.key': 'key\n',
      'certs/server.pem': 'pem\n',
    });
    const progress: string[] = [];
    const warnings: string[] = [];
    const r = await buildCustomSandboxImage(
      {
        ...realAdapters(),
        engine,
        env: {},
        onProgress: (l) => progress.push(l),
        onWarning: (w) => warnings.push(w),
      },
      { dockerfile: join(dir, 'Dockerfile'), agent: 'openclaw', extraLabels: labels, warnBytes: 4 },
    );
    expect(r.built).toBe(true);
    expect(r.tag).toMatch(/^nemoclaw-sandbox-openclaw:custom-[0-9a-f]{12}$/);
    expect(r.excluded.sort()).toEqual(
      [
        '.env',
        '.env.local',
        '.git/',
        '.ssh/',
        'certs/server.key',
        'certs/server.pem',
        'node_modules/',
      ].sort(),
    );
    const listed = progress.filter((l) => l.startsWith('/ctx/'));
    expect(listed.sort()).toEqual(['/ctx/Dockerfile', '/ctx/app/main.sh']);
    expect(warnings.join('\n')).toMatch(/build context .* is \d+ MB/);
  });

  it('shows the failing step and its output', async () => {
    const dir = userContext({
      Dockerfile: `FROM ${base}\nRUN echo preparing && echo "boom: missing thing" >&2 && exit 3\n`,
    });
    const err = await buildCustomSandboxImage(
      { ...realAdapters(), engine, env: {} },
      { dockerfile: join(dir, 'Dockerfile'), agent: 'hermes', extraLabels: labels },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NemoclawError);
    const msg = (err as NemoclawError).message;
    expect(msg).toMatch(/failed at step 2\/\d+ \(RUN echo preparing/);
    expect(msg).not.toContain('\u001b[');
    expect(msg).not.toContain('Removing intermediate container');
    expect(msg).toContain('boom: missing thing');
    expect(msg).toContain('preparing');
    expect(msg).toMatch(/returned a non-zero code: 3/);
  });
});
