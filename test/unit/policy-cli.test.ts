/** The policy verbs through the real CLI entry (in process), up to where OpenShell is needed. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerSandboxVerbs, SANDBOX_VERBS } from '../../src/commands/sandbox.ts';
import { registryStore } from '../../src/adapters/state/registry-store.ts';
import { emptyRegistry, withSandbox } from '../../src/core/registry/schema.ts';
import { main } from '../../src/main.ts';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nemoclaw-policy-cli-'));
  await registryStore(join(home, 'sandboxes.json')).update(() =>
    withSandbox(emptyRegistry(), {
      name: 'alpha',
      agent: 'openclaw',
      provider: 'build',
      model: 'm',
      blueprintVersion: '0.1.0',
      blueprintDigest: `sha256:${'a'.repeat(64)}`,
      image: 'img',
      policyTier: 'balanced',
      presets: [],
      customPolicies: [],
      gpu: { enabled: false },
      dashboardPort: 18789,
      gatewayName: 'nemoclaw',
      channels: [],
      createdAt: 'x',
      updatedAt: 'x',
    }),
  );
});
afterEach(async () => rm(home, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    env: { NEMOCLAW_HOME: home, NO_COLOR: '1', ...env },
    cwd: home,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdinIsTTY: false,
  });
  return { code, stdout, stderr };
}

describe('policy verbs on the command line', () => {
  it('lists every registered verb in the root help', () => {
    const p = new Command();
    registerSandboxVerbs(p, {
      ctx: () => undefined as never,
      world: () => undefined as never,
      setExitCode: () => {},
    });
    const registered = p.commands.map((c) => c.name()).sort();
    const listed = SANDBOX_VERBS.map((v) => v.usage.split(' ')[0]!).sort();
    expect(listed).toEqual(registered);
  });

  it.each([
    [['alpha', 'policy-add', 'npm'], /needs a confirmation, but no terminal is attached/],
    [['alpha', 'policy-remove', 'npm'], /needs a confirmation/],
    [['alpha', 'policy-add', 'nmp', '--yes'], /Did you mean npm/],
    [['alpha', 'policy-add', '--yes'], /either a preset name or --from-file/],
    [['alpha', 'policy-check', 'nope'], /not a URL/],
    [['alpha', 'policy-add', 'npm', '--bogus'], /unknown option/],
    [['alpha', 'policy-remove'], /missing required argument/],
  ])('%j exits 2', async (argv, want) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(want);
  });
});
