/**
 * The real agent end to end (issue 13 item 4): one non-interactive onboarding of the real
 * `openclaw` (test/helpers/openclaw-image.ts) against an OpenAI-compatible loopback server that
 * streams like the real API, then a turn through inference.local, the canary key's absence from the
 * sandbox, and snapshot → rebuild keeping the agent's memory.
 *
 * The turn needs OpenShell's data plane in the simulator (inference.local over TLS, the key added
 * host-side; issue 13 item 3). Until that lands, the parts that need it are skipped by
 * `dataPlaneAvailable`: set DATA_PLANE_MERGED to true when it is merged (NEMOCLAW_TEST_DATA_PLANE=1
 * turns them on for a trial run).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, RUN_ID, skipWithoutDocker } from '../helpers/docker.ts';
import { cleanupImages, createWorld, type World } from '../helpers/e2e.ts';
import { buildGatewayStandins } from '../helpers/gateway-standin.ts';
import { startOpenAIStreamServer, type StreamServer } from '../helpers/openai-stream-server.ts';
import { openclawBaseImage } from '../helpers/openclaw-image.ts';

/** Flip when the simulator's data plane (inference.local, egress proxy) is merged. */
const DATA_PLANE_MERGED = true;
const dataPlaneAvailable = DATA_PLANE_MERGED || process.env.NEMOCLAW_TEST_DATA_PLANE === '1';

const skip = await skipWithoutDocker('the real agent end to end');
const NAME = 'real-agent';
const CANARY = `sk-canary-${RUN_ID}-never-in-the-sandbox`;
const ANSWER = 'Paris, says the loopback model.';
const MEMORY = '/sandbox/.openclaw-data/workspace/MEMORY.md';
const TG_CANARY = `123456:tg-canary-${RUN_ID}`;

describe.skipIf(skip)('the real OpenClaw in a sandbox', () => {
  let w: World;
  let server: StreamServer;
  let telegram: Awaited<ReturnType<typeof startTelegramStandin>>;

  const channelState = async (name: string) => {
    const r = await w.cli([NAME, 'channels', 'list', '--json']);
    return JSON.parse(r.stdout).channels.find((c: { name: string }) => c.name === name)?.state;
  };
  // nemoclaw redacts secret-looking output (`"apiKey": …`), so the facts are computed in the sandbox.
  const agentConfig = async () => {
    const r = await w.cli([
      NAME,
      'exec',
      '--',
      'node',
      '-e',
      `const c = require(process.env.OPENCLAW_CONFIG_PATH); const p = c.models.providers.inference;
       console.log(JSON.stringify({ primary: c.agents.defaults.model.primary, baseUrl: p.baseUrl,
         usesDummy: p.apiKey === 'openshell-managed', freshAuth: /^[0-9a-f]{64}$/.test(c.gateway.auth.token),
         telegramPlaceholder: c.channels?.telegram?.botToken === 'openshell:resolve:env:TELEGRAM_BOT_TOKEN' }))`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };
  const exec = (cmd: string) => w.cli([NAME, 'exec', '--', 'sh', '-c', cmd]);
  const turn = () =>
    w.cli([
      NAME,
      'exec',
      '--',
      'openclaw',
      'agent',
      // Through the agent's own running gateway (the sandbox's main process), as a user's turn
      // goes: openclaw refuses --local while a gateway serves this state directory.
      '--agent',
      'main',
      '-m',
      'What is the capital of France?',
    ]);

  beforeAll(async () => {
    const [gw, base] = await Promise.all([buildGatewayStandins(), openclawBaseImage()]);
    server = await startOpenAIStreamServer({ key: CANARY, models: ['test-model'], answer: ANSWER });
    telegram = await startTelegramStandin();
    w = await createWorld(
      { ...gw, base },
      {
        // The proxy sends the Telegram API's host to the loopback stand-in (test/simulator/README).
        simEnv: { OPENSHELL_SIM_HOSTS: `api.telegram.org:443=${telegram.url}` },
        env: {
          NEMOCLAW_PROVIDER: 'custom',
          NEMOCLAW_ENDPOINT_URL: `${server.url}/v1`,
          NEMOCLAW_MODEL: 'test-model',
          COMPATIBLE_API_KEY: CANARY,
          NVIDIA_API_KEY: '',
        },
      },
    );
    const r = await w.cli(['onboard', '--name', NAME]);
    if (r.code !== 0) throw new Error(`onboard failed (${r.code}): ${r.stderr}\n${r.stdout}`);
    await dashboardAnswers();
  }, 1_500_000);

  /**
   * OpenShell reports Ready when the main process runs; openclaw's gateway listens some seconds
   * later. The user's first turn goes through that gateway, so wait for its dashboard to answer
   * over HTTP through the forward onboarding made (a condition, not a sleep).
   */
  const dashboardAnswers = async () => {
    const reg = JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), 'utf8'));
    const url = `http://127.0.0.1:${reg.sandboxes[NAME].dashboardPort}/`;
    const until = Date.now() + 180_000;
    for (;;) {
      const ok = await fetch(url, { signal: AbortSignal.timeout(5000) }).then(
        (res) => res.status > 0,
        () => false,
      );
      if (ok) return;
      if (Date.now() > until) throw new Error(`the agent's dashboard never answered at ${url}`);
      await new Promise((res) => setTimeout(res, 1000));
    }
  };
  afterAll(async () => {
    await w?.cleanup();
    await server?.close();
    await telegram?.close();
    await cleanupImages();
  });

  it('runs openclaw configured for the route: the chosen model on inference.local, config read-only', async () => {
    const v = await exec('openclaw config validate && echo CONFIG-VALID');
    expect(v.stdout + v.stderr).toContain('CONFIG-VALID');
    const c = await agentConfig();
    expect(c.primary).toBe('inference/test-model');
    expect(c.baseUrl).toBe('https://inference.local/v1');
    expect(c.usesDummy).toBe(true);
    expect(c.freshAuth).toBe(true);
    const st = await exec('stat -c "%U:%G %a" "$OPENCLAW_CONFIG_PATH"');
    expect(st.stdout.trim()).toBe('root:sandbox 440');
  });

  it.skipIf(!dataPlaneAvailable)(
    'one turn answers through inference.local; the server saw the key',
    async () => {
      const r = await turn();
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(ANSWER);
      const chat = server.requests.filter((q) => q.path.endsWith('/chat/completions'));
      expect(chat.length).toBeGreaterThan(0);
      expect(chat.at(-1)!.headers.authorization).toBe(`Bearer ${CANARY}`);
      expect(chat.at(-1)!.body.model).toBe('test-model');
    },
    600_000,
  );

  it("the agent's own security audit, run by status --audit inside the sandbox, finds nothing critical", async () => {
    const r = await w.cli([NAME, 'status', '--audit', '--json']);
    const audit = JSON.parse(r.stdout).parts.audit;
    expect(audit.summary).toMatch(/^0 critical/);
    expect(audit.critical).toBe(0);
    expect(audit.state).not.toBe('fail');
    // Status also says the agent runs through nemoclaw's entrypoint and its config is as built.
    const parts = JSON.parse(r.stdout).parts;
    expect(parts.entrypoint.state).toBe('ok');
    expect(parts.config).toMatchObject({ state: 'ok', drift: false });
  });

  it('the key never reaches the sandbox: not in its env, files, image or logs', async () => {
    const env = await exec('env');
    expect(env.code).toBe(0);
    expect(env.stdout).not.toContain(CANARY);
    const files = await exec(
      `find / -xdev -type f -size -8M 2>/dev/null | xargs grep -l '${CANARY}' 2>/dev/null; echo SCANNED`,
    );
    expect(files.stdout.trim()).toBe('SCANNED');
    const reg = JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), 'utf8'));
    const tag = reg.sandboxes[NAME].image as string;
    const img = docker().getImage(tag);
    expect(JSON.stringify([await img.inspect(), await img.history()])).not.toContain(CANARY);
    const logs = await w.cli([NAME, 'logs']);
    expect(logs.stdout + logs.stderr).not.toContain(CANARY);
    for (const f of walk(w.env.NEMOCLAW_HOME!)) {
      expect(readFileSync(f, 'utf8'), f).not.toContain(CANARY);
    }
  });

  it('snapshot create → channels add telegram --rebuild: the memory file is back, the channel reaches the agent', async () => {
    const put = await exec(`printf '# Memory\\nThe user likes Paris.\\n' > ${MEMORY} && echo OK`);
    expect(put.stdout, put.stderr).toContain('OK');
    const snap = await w.cli([NAME, 'snapshot', 'create']);
    expect(snap.code, snap.stderr).toBe(0);

    const tg = { TELEGRAM_BOT_TOKEN: TG_CANARY };
    const add = await w.cli([NAME, 'channels', 'add', 'telegram'], { env: tg });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`nemoclaw ${NAME} rebuild`);
    expect(await channelState('telegram')).toBe('pending-rebuild');

    const before = w.sim.invocations().length;
    const rb = await w.cli([NAME, 'channels', 'add', 'telegram', '--rebuild'], { env: tg });
    expect(rb.code, rb.stderr + rb.stdout + (await sandboxLogs())).toBe(0);
    expect(rb.stdout).toContain(`Rebuilt ${NAME}`);
    // The sandbox was created again with the channel's provider attached.
    const create = w.sim
      .invocations()
      .slice(before)
      .find((i) => i.command === 'sandbox create');
    expect(create?.argv.join(' ')).toMatch(/--provider telegram-bot/);
    expect(create?.argv.join(' ')).toMatch(/--provider compatible-endpoint/);
    expect(create?.argv.join(' ')).not.toContain(TG_CANARY);

    const back = await exec(`cat ${MEMORY}`);
    expect(back.stdout).toContain('The user likes Paris.');
    expect((await agentConfig()).telegramPlaceholder).toBe(true);
    const v = await exec('openclaw config validate && echo CONFIG-VALID');
    expect(v.stdout + v.stderr).toContain('CONFIG-VALID');
    expect(await channelState('telegram')).toBe('running');

    // stop/start keep the token in the gateway.
    expect((await w.cli([NAME, 'channels', 'stop', 'telegram'])).code).toBe(0);
    expect(await channelState('telegram')).toBe('stopped');
    const ws = JSON.parse(readFileSync(join(w.env.NEMOCLAW_HOME!, 'sandboxes.json'), 'utf8'))
      .sandboxes[NAME].workspace as string;
    expect(
      (await w.sim.run(['provider', 'get', 'telegram-bot', '-g', 'nemoclaw', '--workspace', ws]))
        .code,
    ).toBe(0);
    expect((await w.cli([NAME, 'channels', 'start', 'telegram'])).code).toBe(0);
    expect(await channelState('telegram')).toBe('running');

    // The channel reaches the Telegram API: node in the sandbox (the agent's runtime) sends the
    // placeholder the agent's config names; the proxy resolves it on egress, so the stand-in sees
    // the real token while the sandbox never held it.
    const call = await w.cli([
      NAME,
      'exec',
      '--',
      'node',
      '-e',
      `fetch('https://api.telegram.org/bot' + process.env.TELEGRAM_BOT_TOKEN + '/getMe')
         .then((r) => r.text()).then((t) => console.log('TG ' + t), (e) => { console.log('TGERR ' + e.cause); process.exit(1); })`,
    ]);
    expect(call.stdout, call.stderr).toContain('TG {"ok":true');
    expect(telegram.paths()).toContain(`/bot${TG_CANARY}/getMe`);

    const scan = await exec(
      `env | grep -c '${TG_CANARY}'; find / -xdev -type f -size -8M 2>/dev/null | xargs grep -l '${TG_CANARY}' 2>/dev/null; echo SCANNED`,
    );
    expect(scan.stdout.trim()).toBe('0\nSCANNED');
  }, 1_200_000);

  it.skipIf(!dataPlaneAvailable)(
    'after the rebuild the agent still answers',
    async () => {
      await dashboardAnswers();
      const r = await turn();
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(ANSWER);
    },
    600_000,
  );
});

/** The sandbox container's own output (the simulator runs it in Docker), for a failure message. */
async function sandboxLogs(): Promise<string> {
  const d = docker();
  const [c] = await d.listContainers({
    all: true,
    filters: JSON.stringify({ name: [`openshell-sim-${NAME}-`] }),
  });
  if (!c) return '(no sandbox container)';
  const out = await d.getContainer(c.Id).logs({ stdout: true, stderr: true, tail: 60 });
  return `\n--- sandbox ${c.State}: ${c.Status}\n${out.toString()}`;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (st.isFile() && st.size < 8 * 1024 * 1024) out.push(p);
  }
  return out;
}

/** A loopback stand-in for the Telegram Bot API: answers getMe and records the paths it saw. */
async function startTelegramStandin() {
  const { createServer } = await import('node:http');
  const seen: string[] = [];
  const srv = createServer((req, res) => {
    seen.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, result: { id: 1, is_bot: true, username: 'standin_bot' } }));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    paths: () => [...seen],
    close: () => new Promise<void>((r) => srv.close(() => r())),
  };
}
