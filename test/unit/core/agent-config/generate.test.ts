import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadBlueprintFile } from '../../../../src/adapters/blueprint/files.ts';
import { loadAgentManifest } from '../../../../src/adapters/blueprint/manifest.ts';
import {
  AUTH_TOKEN_MARKER,
  DUMMY_API_KEY,
  generateAgentConfig,
  installScript,
  unsupportedChannels,
  type AgentConfigAnswers,
} from '../../../../src/core/agent-config/generate.ts';
import {
  AgentManifestSchema,
  type AgentManifest,
} from '../../../../src/core/agent-config/manifest.ts';
import { manifestUnder } from '../../../helpers/agent-manifest.ts';

const BP_DIR = join(import.meta.dirname, '../../../../blueprints/0.1.0');
const bp = await loadBlueprintFile(BP_DIR);
const openclaw = await loadAgentManifest(BP_DIR, bp, 'openclaw');
const hermes = await loadAgentManifest(BP_DIR, bp, 'hermes');

const answers = (o: Partial<AgentConfigAnswers> = {}): AgentConfigAnswers => ({
  sandbox: 'my-assistant',
  model: 'nvidia/nemotron-3-super-120b-a12b',
  api: 'openai',
  dashboardPort: 18789,
  hostPort: 18800,
  channels: [],
  instance: 'instance-1',
  ...o,
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('openclaw.json from the onboarding answers', () => {
  it('routes the chosen model through inference.local with a dummy key (OpenAI shape)', () => {
    const c = generateAgentConfig(openclaw, answers()).config as Json;
    expect(c.agents.defaults.model.primary).toBe('inference/nvidia/nemotron-3-super-120b-a12b');
    expect(c.models.providers.inference).toEqual({
      baseUrl: 'https://inference.local/v1',
      apiKey: DUMMY_API_KEY,
      api: 'openai-completions',
      models: [
        { id: 'nvidia/nemotron-3-super-120b-a12b', name: 'nvidia/nemotron-3-super-120b-a12b' },
      ],
    });
    expect(c.agents.defaults.workspace).toBe('/sandbox/.openclaw-data/workspace');
  });

  it('uses the Anthropic shape for Anthropic providers', () => {
    const c = generateAgentConfig(openclaw, answers({ api: 'anthropic', model: 'claude-x' }))
      .config as Json;
    expect(c.models.providers.inference.api).toBe('anthropic-messages');
    expect(c.models.providers.inference.baseUrl).toBe('https://inference.local');
    expect(c.agents.defaults.model.primary).toBe('inference/claude-x');
  });

  it('serves the dashboard on the forwarded port with the forward origins and a token marker', () => {
    const c = generateAgentConfig(openclaw, answers()).config as Json;
    expect(c.gateway.port).toBe(18789);
    expect(c.gateway.bind).toBe('loopback');
    expect(c.gateway.controlUi.allowedOrigins).toEqual([
      'http://127.0.0.1:18800',
      'http://localhost:18800',
    ]);
    expect(c.gateway.auth).toEqual({ mode: 'token', token: AUTH_TOKEN_MARKER });
  });

  it('turns config writes off: no /config, /mcp, /plugins chat commands, no live reload', () => {
    const c = generateAgentConfig(openclaw, answers({ channels: [telegram] })).config as Json;
    expect(c.commands).toEqual({ config: false, mcp: false, plugins: false });
    expect(c.gateway.reload).toEqual({ mode: 'off' });
    expect(c.channels.telegram.configWrites).toBe(false);
  });

  const telegram = { name: 'telegram', credentialEnv: ['TELEGRAM_BOT_TOKEN'] };
  const slack = { name: 'slack', credentialEnv: ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN'] };

  it('names OpenShell placeholders for channel tokens, never a value', () => {
    const c = generateAgentConfig(openclaw, answers({ channels: [telegram, slack] }))
      .config as Json;
    expect(c.channels.telegram.botToken).toBe('openshell:resolve:env:TELEGRAM_BOT_TOKEN');
    expect(c.channels.slack.botToken).toBe('openshell:resolve:env:SLACK_BOT_TOKEN');
    expect(c.channels.slack.appToken).toBe('openshell:resolve:env:SLACK_APP_TOKEN');
    expect(c.channels.discord).toBeUndefined();
    expect(generateAgentConfig(openclaw, answers()).config.channels).toBeUndefined();
  });

  it('is JSON in the build context, with the install script beside it', () => {
    const b = generateAgentConfig(openclaw, answers());
    expect(b.files.map((f) => f.path)).toEqual(['agent/config', 'agent/install.sh']);
    expect(JSON.parse(b.files[0]!.content)).toEqual(b.config);
    expect(b.env).toEqual({
      OPENCLAW_CONFIG_PATH: '/sandbox/.openclaw/openclaw.json',
      OPENCLAW_STATE_DIR: '/sandbox/.openclaw-data',
    });
  });

  it('has a digest that follows the content, the instance included', () => {
    const a = generateAgentConfig(openclaw, answers()).digest;
    expect(generateAgentConfig(openclaw, answers()).digest).toBe(a);
    expect(generateAgentConfig(openclaw, answers({ instance: 'other' })).digest).not.toBe(a);
    expect(generateAgentConfig(openclaw, answers({ model: 'm2' })).digest).not.toBe(a);
    expect(generateAgentConfig(openclaw, answers({ hostPort: 18801 })).digest).not.toBe(a);
  });
});

describe('Hermes config.yaml from the same answers', () => {
  it('carries the route, the dashboard and the channel placeholders in its own format', () => {
    const b = generateAgentConfig(
      hermes,
      answers({ channels: [{ name: 'telegram', credentialEnv: ['TELEGRAM_BOT_TOKEN'] }] }),
    );
    const y = parseYaml(b.files[0]!.content) as Json;
    expect(y).toEqual(b.config);
    expect(y.model).toEqual({
      default: 'nvidia/nemotron-3-super-120b-a12b',
      provider: 'custom',
      base_url: 'https://inference.local/v1',
      api_key: DUMMY_API_KEY,
      api_mode: 'chat_completions',
    });
    expect(y.dashboard).toMatchObject({
      port: 18789,
      allowed_origins: ['http://127.0.0.1:18800', 'http://localhost:18800'],
      auth_token: AUTH_TOKEN_MARKER,
    });
    expect(y.security.allow_config_writes).toBe(false);
    expect(y.platforms.telegram.token).toBe('openshell:resolve:env:TELEGRAM_BOT_TOKEN');
    expect(b.env).toEqual({ HERMES_HOME: '/sandbox/.hermes' });
    expect(b.files[1]!.content).toContain(
      "ln -s '/sandbox/.hermes-data/memories' '/sandbox/.hermes/memories'",
    );
  });

  it('anthropic shape', () => {
    const y = generateAgentConfig(hermes, answers({ api: 'anthropic' })).config as Json;
    expect(y.model.api_mode).toBe('anthropic_messages');
    expect(y.model.base_url).toBe('https://inference.local');
  });
});

describe('a third agent is data', () => {
  it('a new manifest configures a new agent without code', () => {
    const third: AgentManifest = AgentManifestSchema.parse({
      name: 'thirdagent',
      display_name: 'Third',
      binary: '/usr/local/bin/third',
      config_dir: '/sandbox/.third',
      config_file: '/sandbox/.third/settings.json',
      skills_dir: '/sandbox/.third/skills',
      model_config: { model_key: 'llm.model', base_url: 'https://inference.local/v1' },
      config: {
        format: 'json',
        owner: 'root',
        group: 'sandbox',
        mode: '0440',
        user: 'sandbox',
        state_dir: '/sandbox/.third-data',
        state_dirs: ['memory'],
        base_url: { openai: 'https://inference.local/v1', anthropic: 'https://inference.local' },
        api: { openai: 'oai', anthropic: 'ant' },
        template: { llm: { model: '{{model}}', url: '{{base_url}}', port: '{{dashboard_port}}' } },
        channels: {
          telegram: { at: 'chat.tg', value: { key: '{{placeholder:TELEGRAM_BOT_TOKEN}}' } },
        },
      },
    });
    const c = generateAgentConfig(
      third,
      answers({ channels: [{ name: 'telegram', credentialEnv: [] }] }),
    ).config as Json;
    expect(c).toEqual({
      llm: {
        model: 'nvidia/nemotron-3-super-120b-a12b',
        url: 'https://inference.local/v1',
        port: 18789,
      },
      chat: { tg: { key: 'openshell:resolve:env:TELEGRAM_BOT_TOKEN' } },
    });
    expect(unsupportedChannels(third, [{ name: 'slack' }])).toEqual(['slack']);
  });

  it('refuses a template naming an unknown variable', () => {
    const bad = { ...openclaw, config: { ...openclaw.config, template: { x: '{{nope}}' } } };
    expect(() => generateAgentConfig(bad, answers())).toThrow(/unknown variable \{\{nope\}\}/);
  });
});

describe('the install script (runs in the build with only a shell)', () => {
  it('installs the config root-owned and read-only to the agent, state apart and the agent’s', () => {
    const s = installScript(openclaw, 'inst-42');
    expect(s).toContain('instance inst-42');
    expect(s).toContain(
      "chown root:sandbox '/sandbox/.openclaw' '/sandbox/.openclaw/openclaw.json'",
    );
    expect(s).toContain("chmod 0440 '/sandbox/.openclaw/openclaw.json'");
    expect(s).toContain("chmod 0750 '/sandbox/.openclaw'");
    expect(s).toContain("chown -R sandbox:sandbox '/sandbox/.openclaw-data'");
    expect(s).toContain("ln -s '/sandbox/.openclaw-data/workspace' '/sandbox/.openclaw/workspace'");
  });

  it('puts a fresh 64-hex token where the marker was (run against a temp root)', () => {
    const root = mkdtempSync(join(tmpdir(), 'nc-install-'));
    try {
      const m = manifestUnder(openclaw, root);
      const b = generateAgentConfig(m, answers());
      const ctx = join(root, 'ctx');
      mkdirSync(ctx);
      for (const f of b.files)
        writeFileSync(join(root, f.path.replace('agent/', 'ctx/')), f.content);
      const run = () => {
        execFileSync('sh', [join(ctx, 'install.sh')]);
        return JSON.parse(readFileSync(m.config_file, 'utf8')) as Json;
      };
      const first = run();
      expect(first.gateway.auth.token).toMatch(/^[0-9a-f]{64}$/);
      expect(readFileSync(m.config_file, 'utf8')).not.toContain(AUTH_TOKEN_MARKER);
      expect(statSync(m.config_file).mode & 0o777).toBe(0o440);
      expect(statSync(join(root, 'data')).mode & 0o777).toBe(0o755);
      expect(statSync(join(root, 'cfg/workspace')).isDirectory()).toBe(true);
      execFileSync('chmod', ['u+w', m.config_file]);
      expect(run().gateway.auth.token).not.toBe(first.gateway.auth.token);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
