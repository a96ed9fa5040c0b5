/**
 * What nemoclaw generates for OpenClaw, checked by the real `openclaw` at the version the blueprint
 * pins (test/helpers/openclaw-image.ts): `openclaw config validate` accepts every config nemoclaw
 * can generate, and the image built from the blueprint's Dockerfile installs it so that the agent's
 * own `security audit` finds nothing critical, as the sandbox user.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentManifest } from '../../src/adapters/blueprint/manifest.ts';
import {
  resolveBlueprint,
  verifyOrThrow,
  type ResolvedBlueprint,
} from '../../src/adapters/blueprint/resolve.ts';
import { connectEngine } from '../../src/adapters/docker/engine.ts';
import { AUTH_TOKEN_MARKER, generateAgentConfig } from '../../src/core/agent-config/generate.ts';
import type { AgentManifest } from '../../src/core/agent-config/manifest.ts';
import { CHANNELS } from '../../src/core/ops/channels.ts';
import { PROVIDERS } from '../../src/core/providers.ts';
import { agentConfigFor } from '../../src/usecases/agent-config.ts';
import { buildSandboxImage } from '../../src/usecases/sandbox-image.ts';
import { realAdapters } from '../helpers/adapter-world.ts';
import { cleanupRun, docker, RUN_ID, skipWithoutDocker, TEST_LABEL } from '../helpers/docker.ts';
import { openclawBaseImage } from '../helpers/openclaw-image.ts';

const skip = await skipWithoutDocker('real openclaw config checks');
const labels = { [TEST_LABEL]: RUN_ID };

/** Runs a command in a fresh container of `image`; returns its exit code and output. */
async function inContainer(
  image: string,
  cmd: string,
  o: { user?: string; env?: Record<string, string>; binds?: string[] } = {},
): Promise<{ code: number; out: string }> {
  const c = await docker().createContainer({
    Image: image,
    Cmd: ['/bin/sh', '-c', cmd],
    User: o.user ?? 'sandbox',
    Env: Object.entries(o.env ?? {}).map(([k, v]) => `${k}=${v}`),
    Tty: true,
    Labels: labels,
    HostConfig: { NetworkMode: 'none', Binds: o.binds ?? [] },
  });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    const out = (await c.logs({ stdout: true, stderr: true })).toString();
    return { code: StatusCode, out };
  } finally {
    await c.remove({ force: true }).catch(() => {});
  }
}

const token = (s: string) => s.replaceAll(AUTH_TOKEN_MARKER, 'ab'.repeat(32));

describe.skipIf(skip)('the generated OpenClaw config, checked by the real openclaw', () => {
  let base: string;
  let manifest: AgentManifest;
  let bp: ResolvedBlueprint;
  const dir = mkdtempSync(join(tmpdir(), 'nc-openclaw-cfg-'));

  beforeAll(async () => {
    bp = await resolveBlueprint({ packageRoot: process.cwd(), home: tmpdir() });
    manifest = await loadAgentManifest(bp.dir, bp.blueprint, 'openclaw');
    base = await openclawBaseImage();
  }, 1_500_000);
  afterAll(async () => {
    await cleanupRun();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts every config nemoclaw can generate: each provider, each channel set', async () => {
    const answers = {
      sandbox: 'validate',
      dashboardPort: bp.blueprint.agents.openclaw.dashboard_port,
      hostPort: 18789,
      instance: 'validate',
    };
    const configs: Record<string, string> = {};
    for (const p of PROVIDERS) {
      const b = generateAgentConfig(manifest, {
        ...answers,
        model: p.defaultModel ?? 'test-model',
        api: p.api,
        channels: [],
      });
      configs[`provider-${p.key}`] = token(b.files[0]!.content);
    }
    const sets = [...CHANNELS.map((c) => [c]), [...CHANNELS]];
    for (const set of sets) {
      const b = generateAgentConfig(manifest, {
        ...answers,
        model: 'test-model',
        api: 'openai',
        channels: set.map((c) => ({
          name: c.name,
          credentialEnv: c.credentials.map((x) => x.env),
        })),
      });
      configs[`channels-${set.map((c) => c.name).join('+')}`] = token(b.files[0]!.content);
    }
    // The reference's March keys, unknown to this version: proves validate can refuse.
    configs['control-reference-march'] = JSON.stringify({
      channels: { defaults: { configWrites: false } },
      gateway: { controlUi: { allowInsecureAuth: true } },
    });
    chmodSync(dir, 0o755); // the container's sandbox user reads it
    for (const [name, text] of Object.entries(configs)) {
      writeFileSync(join(dir, `${name}.json`), text, { mode: 0o644 });
    }
    const r = await inContainer(
      base,
      'for f in /cfgs/*.json; do n=$(basename "$f" .json); mkdir -p /tmp/s-$n; ' +
        'if OPENCLAW_STATE_DIR=/tmp/s-$n OPENCLAW_CONFIG_PATH="$f" openclaw config validate >/tmp/$n.log 2>&1; ' +
        'then echo "VALID $n"; else echo "INVALID $n"; cat /tmp/$n.log; fi; done',
      { binds: [`${dir}:/cfgs:ro`] },
    );
    for (const name of Object.keys(configs)) {
      const want = name.startsWith('control-') ? 'INVALID' : 'VALID';
      expect(r.out, r.out).toContain(`${want} ${name}`);
    }
  }, 600_000);

  it('the blueprint image installs it root-owned and read-only, and the agent’s audit finds nothing critical', async () => {
    const engine = await connectEngine(process.env);
    const digest = (await verifyOrThrow(bp)).actual;
    const agentConfig = await agentConfigFor(realAdapters(), {
      blueprint: bp,
      agent: 'openclaw',
      sandbox: 'audit',
      provider: 'build',
      model: 'test-model',
      hostPort: 18800,
      channels: ['telegram'],
    });
    const img = await buildSandboxImage(
      { ...realAdapters(), engine, env: { NEMOCLAW_SANDBOX_BASE_IMAGE: base } },
      {
        blueprint: bp,
        blueprintDigest: digest,
        agent: 'openclaw',
        extraLabels: labels,
        agentConfig,
      },
    );
    const env = agentConfig.env;
    const r = await inContainer(
      img.tag,
      [
        'stat -c "MODE %U:%G %a" /sandbox/.openclaw/openclaw.json /sandbox/.openclaw',
        'stat -c "DATA %U %a" /sandbox/.openclaw-data',
        '(echo x >> /sandbox/.openclaw/openclaw.json) 2>/dev/null && echo CONFIG-WRITABLE || echo CONFIG-READONLY',
        '(touch /sandbox/.openclaw/new) 2>/dev/null && echo DIR-WRITABLE || echo DIR-READONLY',
        'touch /sandbox/.openclaw/workspace/probe && echo STATE-WRITABLE',
        'grep -c "__NEMOCLAW" /sandbox/.openclaw/openclaw.json || true',
        'openclaw config validate >/tmp/v.log 2>&1 && echo CONFIG-VALID || cat /tmp/v.log',
        'openclaw security audit --json > /tmp/audit.json 2>/tmp/audit.err; echo AUDIT-RC $?',
        'node -e \'const a=JSON.parse(require("fs").readFileSync("/tmp/audit.json","utf8")); for (const f of a.findings) console.log("FINDING", f.severity, f.checkId)\'',
      ].join('; '),
      { env },
    );
    expect(r.out).toContain('MODE root:sandbox 440');
    expect(r.out).toContain('MODE root:sandbox 750');
    expect(r.out).toContain('DATA sandbox 755');
    expect(r.out).toContain('CONFIG-READONLY');
    expect(r.out).toContain('DIR-READONLY');
    expect(r.out).toContain('STATE-WRITABLE');
    expect(r.out).toMatch(/^0\r?$/m); // the token marker was replaced
    expect(r.out).toContain('CONFIG-VALID');
    expect(r.out).toMatch(/FINDING /);
    expect(r.out).not.toMatch(/FINDING critical/);
  }, 900_000);
});
