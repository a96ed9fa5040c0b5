/**
 * A `--from` image on the real OpenClaw (issue 15): the image the user builds FROM the real
 * `openclaw` (test/helpers/openclaw-image.ts), onboarded with `--from`. nemoclaw lays the generated
 * config over it and sets OPENCLAW_STATE_DIR, so the real agent resolves its state folder under the
 * blueprint's state paths (it says where with `openclaw sessions --json`); what is written there
 * survives a rebuild. Without the layer it would resolve ~/.openclaw, which no snapshot carries.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutDocker } from '../helpers/docker.ts';
import { cleanupImages, createWorld, type World } from '../helpers/e2e.ts';
import { buildGatewayStandins } from '../helpers/gateway-standin.ts';
import { startOpenAIStreamServer, type StreamServer } from '../helpers/openai-stream-server.ts';
import { openclawBaseImage } from '../helpers/openclaw-image.ts';

const skip = await skipWithoutDocker('a --from image on the real openclaw');
const NAME = 'from-real';
const ROOT = join(import.meta.dirname, '../..');

describe.skipIf(skip)('a --from image on the real OpenClaw', () => {
  let w: World;
  let server: StreamServer;
  let dir: string;
  const exec = (cmd: string) => w.cli([NAME, 'exec', '--', 'sh', '-c', cmd]);
  const sessionsDb = async () => {
    const r = await w.cli([NAME, 'exec', '--', 'openclaw', 'sessions', '--json']);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { path: string }).path;
  };

  beforeAll(async () => {
    const [gw, base] = await Promise.all([buildGatewayStandins(), openclawBaseImage()]);
    server = await startOpenAIStreamServer({
      key: 'sk-from-real',
      models: ['test-model'],
      answer: 'ok',
    });
    w = await createWorld(
      { ...gw, base },
      {
        env: {
          NEMOCLAW_PROVIDER: 'custom',
          NEMOCLAW_ENDPOINT_URL: `${server.url}/v1`,
          NEMOCLAW_MODEL: 'test-model',
          COMPATIBLE_API_KEY: 'sk-from-real',
          NVIDIA_API_KEY: '',
        },
      },
    );
    dir = mkdtempSync(join(tmpdir(), 'nc-from-real-'));
    for (const f of ['nemoclaw-start', 'nemoclaw-harden'])
      cpSync(join(ROOT, 'blueprints/0.2.0', f), join(dir, f));
    writeFileSync(
      join(dir, 'Dockerfile'),
      `FROM ${base}\nUSER root\nCOPY nemoclaw-start nemoclaw-harden /usr/local/bin/\nRUN chmod 0755 /usr/local/bin/nemoclaw-start /usr/local/bin/nemoclaw-harden\n`,
    );
    const r = await w.cli(['onboard', '--name', NAME, '--from', join(dir, 'Dockerfile')]);
    if (r.code !== 0) throw new Error(`onboard failed (${r.code}): ${r.stderr}\n${r.stdout}`);
  }, 1_500_000);
  afterAll(async () => {
    await w?.cleanup();
    await server?.close();
    await cleanupImages();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the real openclaw keeps its state under the state paths, and what it holds survives rebuild', async () => {
    const db = await sessionsDb();
    expect(db).toBe('/sandbox/.openclaw-data/agents/main/agent/openclaw-agent.sqlite');
    const note = join(dirname(db), 'nemoclaw-note.md');
    const wrote = await exec(`mkdir -p ${dirname(db)} && echo kept > ${note}`);
    expect(wrote.code, wrote.stderr).toBe(0);
    const rb = await w.cli([NAME, 'rebuild', '--yes']);
    expect(rb.code, rb.stderr).toBe(0);
    expect(await sessionsDb()).toBe(db);
    expect((await exec(`cat ${note}`)).stdout).toBe('kept\n');
  }, 600_000);
});
