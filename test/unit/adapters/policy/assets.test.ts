/**
 * The packaged policy files: every baseline, preset and tier validates; the presets reach what
 * they are for, from the binaries that really make those calls.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBlueprintFile } from '../../../../src/adapters/blueprint/files.ts';
import { loadBaseline, loadPresets, loadTiers } from '../../../../src/adapters/policy/assets.ts';
import { checkRequest, requestFromUrl } from '../../../../src/core/policy/check.ts';
import { composePolicy } from '../../../../src/core/policy/merge.ts';
import { parsePolicy } from '../../../../src/core/policy/parse.ts';
import { expandTier, uncoveredBinaries, type Preset } from '../../../../src/core/policy/presets.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const blueprint = await loadBlueprintFile(join(ROOT, 'blueprints', '0.1.0'));
const presets = await loadPresets(ROOT);
const tiers = await loadTiers(ROOT);
const baselines = {
  openclaw: await loadBaseline(ROOT, 'openclaw'),
  hermes: await loadBaseline(ROOT, 'hermes'),
};
const AGENTS = ['openclaw', 'hermes'] as const;
const byName = (n: string): Preset => presets.find((p) => p.name === n)!;

const PRESETS = [
  'npm',
  'pypi',
  'huggingface',
  'brew',
  'brave',
  'github',
  'docker',
  'slack',
  'discord',
  'telegram',
  'jira',
  'outlook',
  'local-inference',
];

describe('packaged policy files', () => {
  it('has exactly the presets of product.md §7, one file each, named as the file', () => {
    expect(presets.map((p) => p.name).sort()).toEqual([...PRESETS].sort());
    expect(readdirSync(join(ROOT, 'presets')).sort()).toEqual(
      PRESETS.map((p) => `${p}.yaml`).sort(),
    );
  });

  it('matches the blueprint: baselines, tiers and the preset map', () => {
    expect(blueprint.policy.baseline).toEqual({
      openclaw: 'policies/openclaw-sandbox.yaml',
      hermes: 'policies/hermes-sandbox.yaml',
    });
    expect(blueprint.policy.tiers).toBe('policies/tiers.yaml');
    expect(blueprint.policy.presets).toEqual(
      Object.fromEntries(PRESETS.map((p) => [p, `presets/${p}.yaml`])),
    );
  });

  it('defines the tiers of product.md §7, balanced by default', () => {
    const known = new Set(PRESETS);
    const balanced = ['npm', 'pypi', 'huggingface', 'brew', 'brave'];
    expect(tiers.default).toBe('balanced');
    expect(expandTier(tiers, 'restricted', known)).toEqual([]);
    expect(expandTier(tiers, 'balanced', known)).toEqual(balanced);
    expect(expandTier(tiers, 'open', known)).toEqual([
      ...balanced,
      'github',
      'slack',
      'discord',
      'telegram',
      'jira',
      'outlook',
    ]);
  });

  it.each(AGENTS)('%s baseline: deny by default, static sections as designed', (agent) => {
    const p = parsePolicy(baselines[agent], agent).policy;
    expect(p.version).toBe(1);
    expect(p.filesystem_policy?.read_write).toEqual(['/sandbox', '/tmp', '/dev/null']);
    expect(p.filesystem_policy?.read_only).toEqual(
      expect.arrayContaining(['/usr', '/lib', '/etc']),
    );
    expect(p.landlock).toEqual({ compatibility: 'best_effort' });
    expect(p.process).toEqual({ run_as_user: 'sandbox', run_as_group: 'sandbox' });
    // The agent's own needs only: no package registries, code hosts or messaging.
    for (const key of Object.keys(p.network_policies ?? {})) {
      for (const preset of presets) expect(Object.keys(preset.entries)).not.toContain(key);
    }
    const hosts = Object.values(p.network_policies ?? {}).flatMap((e) =>
      (e.endpoints ?? []).map((ep) => ep.host),
    );
    for (const h of ['github.com', 'api.telegram.org', 'discord.com', 'registry.npmjs.org']) {
      expect(hosts).not.toContain(h);
    }
  });

  it('gives every preset its own keys', () => {
    const seen = new Map<string, string>();
    for (const p of presets) {
      for (const k of Object.keys(p.entries)) {
        expect(seen.get(k), `${k} in ${p.name} and ${seen.get(k)}`).toBeUndefined();
        seen.set(k, p.name);
      }
    }
  });

  it('enforces every inspected endpoint (OpenShell treats a missing enforcement as audit)', () => {
    const all = [
      ...presets.map((p) => [p.name, p.entries] as const),
      ...AGENTS.map(
        (a) => [a, parsePolicy(baselines[a], a).policy.network_policies ?? {}] as const,
      ),
    ];
    for (const [name, entries] of all) {
      for (const [key, e] of Object.entries(entries)) {
        for (const ep of e.endpoints ?? []) {
          if (ep.protocol) expect(ep.enforcement, `${name}.${key} ${ep.host}`).toBe('enforce');
        }
        expect((e.binaries ?? []).length, `${name}.${key} binaries`).toBeGreaterThan(0);
        expect((e.endpoints ?? []).length, `${name}.${key} endpoints`).toBeGreaterThan(0);
      }
    }
  });

  it.each(AGENTS)('composes %s baseline + every preset into one valid policy', (agent) => {
    const yaml = composePolicy(baselines[agent], presets, `${agent} + all presets`);
    const p = parsePolicy(yaml, 'composed').policy;
    expect(yaml).not.toMatch(/^preset:/m);
    for (const preset of presets) {
      for (const k of Object.keys(preset.entries)) expect(p.network_policies).toHaveProperty(k);
    }
  });
});

/**
 * Which of an agent's egress binaries make each preset's calls: the agent CLI and the runtime it
 * runs under (the process OpenShell sees), curl for shell tools, git for repositories.
 */
const CALLERS: Record<string, ('agent' | 'runtime' | 'curl' | 'git')[]> = {
  npm: ['agent', 'runtime', 'curl'],
  pypi: ['agent', 'runtime', 'curl'],
  huggingface: ['agent', 'runtime', 'curl', 'git'],
  brew: ['curl', 'git'],
  brave: ['agent', 'runtime', 'curl'],
  github: ['agent', 'runtime', 'curl', 'git'],
  docker: ['agent', 'runtime', 'curl'],
  slack: ['agent', 'runtime', 'curl'],
  discord: ['agent', 'runtime', 'curl'],
  telegram: ['agent', 'runtime', 'curl'],
  jira: ['agent', 'runtime', 'curl'],
  outlook: ['agent', 'runtime', 'curl'],
  'local-inference': ['agent', 'runtime', 'curl'],
};

describe.each(AGENTS)('preset binaries cover the %s binaries that make the calls', (agent) => {
  const [cli, runtime, curl, git] = blueprint.agents[agent].egress_binaries;
  const roles = { agent: cli!, runtime: runtime!, curl: curl!, git: git! };

  it('knows the blueprint egress binaries', () => {
    expect(blueprint.agents[agent].egress_binaries).toEqual([
      `/usr/local/bin/${agent}`,
      agent === 'openclaw' ? '/usr/bin/node' : '/usr/bin/python3',
      '/usr/bin/curl',
      '/usr/bin/git',
    ]);
  });

  it.each(PRESETS)('%s', (name) => {
    const required = CALLERS[name]!.map((r) => roles[r]);
    expect(uncoveredBinaries(byName(name).entries, required)).toEqual([]);
  });
});

/** Real requests each preset exists for: [preset, method, url, role of the caller]. */
const REQUESTS: [string, string, string, 'runtime' | 'curl' | 'git'][] = [
  ['npm', 'GET', 'https://registry.npmjs.org/left-pad', 'runtime'],
  ['npm', 'GET', 'https://registry.npmjs.org/@types%2Fnode', 'runtime'],
  ['npm', 'POST', 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', 'runtime'],
  ['npm', 'GET', 'https://registry.yarnpkg.com/react', 'runtime'],
  ['pypi', 'GET', 'https://pypi.org/simple/requests/', 'runtime'],
  ['pypi', 'GET', 'https://files.pythonhosted.org/packages/ab/cd/requests-2.32.0.whl', 'runtime'],
  ['huggingface', 'GET', 'https://huggingface.co/api/models/gpt2', 'runtime'],
  ['huggingface', 'GET', 'https://huggingface.co/gpt2/resolve/main/config.json', 'curl'],
  ['huggingface', 'POST', 'https://huggingface.co/gpt2/git-upload-pack', 'git'],
  ['huggingface', 'GET', 'https://cas-bridge.xethub.hf.co/xet-bridge-us/abc', 'runtime'],
  ['huggingface', 'POST', 'https://router.huggingface.co/v1/chat/completions', 'runtime'],
  ['brew', 'GET', 'https://formulae.brew.sh/api/formula.jws.json', 'curl'],
  ['brew', 'GET', 'https://ghcr.io/v2/homebrew/core/wget/blobs/sha256:abc', 'curl'],
  ['brew', 'GET', 'https://ghcr.io/token?scope=repository:homebrew/core/wget:pull', 'curl'],
  ['brave', 'GET', 'https://api.search.brave.com/res/v1/web/search?q=nemoclaw', 'runtime'],
  ['github', 'GET', 'https://github.com/NVIDIA/OpenShell/info/refs?service=git-upload-pack', 'git'],
  ['github', 'POST', 'https://github.com/NVIDIA/OpenShell.git/git-upload-pack', 'git'],
  ['github', 'POST', 'https://github.com/me/repo.git/git-receive-pack', 'git'],
  ['github', 'POST', 'https://api.github.com/repos/o/r/issues', 'runtime'],
  ['github', 'POST', 'https://api.github.com/graphql', 'runtime'],
  ['github', 'GET', 'https://raw.githubusercontent.com/o/r/main/README.md', 'curl'],
  ['github', 'GET', 'https://codeload.github.com/o/r/tar.gz/main', 'curl'],
  ['docker', 'GET', 'https://auth.docker.io/token?service=registry.docker.io', 'curl'],
  ['docker', 'GET', 'https://registry-1.docker.io/v2/library/alpine/manifests/latest', 'curl'],
  ['docker', 'GET', 'https://nvcr.io/v2/nvidia/cuda/manifests/12.4', 'curl'],
  ['slack', 'POST', 'https://slack.com/api/chat.postMessage', 'runtime'],
  ['slack', 'POST', 'https://hooks.slack.com/services/T0/B0/x', 'curl'],
  ['slack', 'GET', 'https://wss-primary.slack.com/link/?ticket=x', 'runtime'],
  ['discord', 'POST', 'https://discord.com/api/v10/channels/1/messages', 'runtime'],
  ['discord', 'PATCH', 'https://discord.com/api/v10/channels/1/messages/2', 'runtime'],
  ['discord', 'GET', 'https://gateway.discord.gg/?v=10&encoding=json', 'runtime'],
  ['discord', 'GET', 'https://cdn.discordapp.com/attachments/1/2/a.png', 'runtime'],
  ['telegram', 'POST', 'https://api.telegram.org/bot123:ABC/sendMessage', 'runtime'],
  ['telegram', 'GET', 'https://api.telegram.org/bot123:ABC/getUpdates?timeout=30', 'runtime'],
  ['telegram', 'GET', 'https://api.telegram.org/file/bot123:ABC/photos/a.jpg', 'runtime'],
  ['jira', 'GET', 'https://acme.atlassian.net/rest/api/3/issue/PROJ-1', 'runtime'],
  ['jira', 'PUT', 'https://acme.atlassian.net/rest/api/3/issue/PROJ-1', 'runtime'],
  ['jira', 'POST', 'https://auth.atlassian.com/oauth/token', 'runtime'],
  ['outlook', 'GET', 'https://graph.microsoft.com/v1.0/me/messages', 'runtime'],
  ['outlook', 'POST', 'https://graph.microsoft.com/v1.0/me/sendMail', 'runtime'],
  ['outlook', 'POST', 'https://login.microsoftonline.com/common/oauth2/v2.0/token', 'runtime'],
  ['local-inference', 'POST', 'http://host.openshell.internal:11434/api/chat', 'runtime'],
  ['local-inference', 'POST', 'http://host.openshell.internal:8000/v1/chat/completions', 'curl'],
  ['local-inference', 'GET', 'http://host.openshell.internal:8000/v1/models', 'curl'],
];

/** Requests presets must not let through. */
const REFUSED: [string, string, string][] = [
  ['npm', 'PUT', 'https://registry.npmjs.org/my-package'],
  ['pypi', 'POST', 'https://pypi.org/legacy/'],
  ['brave', 'GET', 'https://search.brave.com/search?q=x'],
  ['telegram', 'POST', 'https://api.telegram.org/other'],
  ['brew', 'GET', 'https://ghcr.io/v2/someone/else/blobs/x'],
  ['github', 'DELETE', 'https://api.github.com/repos/o/r'],
  ['slack', 'POST', 'https://slack.com/signin'],
  ['local-inference', 'POST', 'http://host.openshell.internal:22/'],
];

describe.each(AGENTS)('presets allow the requests they exist for (%s)', (agent) => {
  const [, runtime, curl, git] = blueprint.agents[agent].egress_binaries;
  const roles = { runtime: runtime!, curl: curl!, git: git! };
  const composed = parsePolicy(composePolicy(baselines[agent], presets), agent).policy
    .network_policies!;
  const baseline = parsePolicy(baselines[agent], agent).policy.network_policies ?? {};

  it.each(REQUESTS)('%s: %s %s', (name, method, url, role) => {
    const req = requestFromUrl(url, { method, binary: roles[role] });
    expect(checkRequest(byName(name).entries, req).decision).toBe('allow');
    expect(checkRequest(composed, req).decision).toBe('allow');
    // …and the baseline alone does not: the preset is what opens it.
    expect(checkRequest(baseline, req).decision).toBe('deny');
  });

  it.each(REFUSED)('%s refuses %s %s', (name, method, url) => {
    const req = requestFromUrl(url, { method, binary: roles.runtime });
    expect(checkRequest(byName(name).entries, req).decision).toBe('deny');
  });
});
