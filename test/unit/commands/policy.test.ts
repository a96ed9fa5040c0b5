import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerSandboxVerbs, SANDBOX_VERBS } from '../../../src/commands/sandbox.ts';
import { main } from '../../../src/main.ts';
import { sandboxEntry, useTestHome } from '../../helpers/context.ts';

const t = useTestHome({ prefix: 'nemoclaw-policy-cli-', sandboxes: [sandboxEntry()] });

async function run(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    env: t.env(env),
    cwd: t.home,
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
