import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { SANDBOX_VERBS } from '../../src/commands/sandbox.ts';
import { buildSandboxProgram } from '../../src/commands/sandbox.ts';
import { useTestHome, writeRegistryFile } from '../helpers/context.ts';

const t = useTestHome({ prefix: 'nc-cli-' });

describe('global behaviour', () => {
  it('--version prints the version', async () => {
    const r = await runCli(['--version'], { NEMOCLAW_HOME: t.home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^nemoclaw v\d+\.\d+\.\d+\n$/);
  });

  it('--help lists commands and the sandbox verbs', async () => {
    const r = await runCli(['--help'], { NEMOCLAW_HOME: t.home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: nemoclaw');
    expect(r.stdout).toContain('blueprint');
    expect(r.stdout).toContain('Sandbox commands');
  });

  it('an unknown command exits 2 with a suggestion', async () => {
    const r = await runCli(['lsit'], { NEMOCLAW_HOME: t.home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean `nemoclaw list`?');
  });

  it('an unknown flag exits 2 with a suggestion', async () => {
    const r = await runCli(['list', '--jsn'], { NEMOCLAW_HOME: t.home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--jsn'");
    expect(r.stderr).toContain('--json');
  });

  it('a missing argument value exits 2', async () => {
    const r = await runCli(['blueprint', 'verify', '--blueprint-sha256'], {
      NEMOCLAW_HOME: t.home,
    });
    expect(r.code).toBe(2);
  });

  it('an unknown sandbox name exits 2 and suggests a registered one', async () => {
    writeRegistryFile(t.home, ['my-assistant']);
    const r = await runCli(['my-assistent', 'status'], { NEMOCLAW_HOME: t.home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean the sandbox `my-assistant`?');
  });

  it('a corrupt registry is reported with its path, exit 1, file untouched', async () => {
    mkdirSync(t.home, { recursive: true });
    writeFileSync(join(t.home, 'sandboxes.json'), '{nope');
    const r = await runCli(['list'], { NEMOCLAW_HOME: t.home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(t.home, 'sandboxes.json'));
    expect(readFileSync(join(t.home, 'sandboxes.json'), 'utf8')).toBe('{nope');
  });
});

describe('list', () => {
  it('says how to start when nothing is registered', async () => {
    const r = await runCli(['list'], { NEMOCLAW_HOME: t.home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No sandboxes registered. Run `nemoclaw onboard` to get started.');
  });

  it('marks the default sandbox, in text and JSON', async () => {
    writeRegistryFile(t.home, ['alpha', 'beta'], 'beta');
    const text = await runCli(['list'], { NEMOCLAW_HOME: t.home });
    expect(text.stdout).toContain('  beta *');
    expect(text.stdout).toMatch(/ {2}alpha\n/);
    const j = await runCli(['list', '--json'], { NEMOCLAW_HOME: t.home });
    const doc = JSON.parse(j.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.defaultSandbox).toBe('beta');
    expect(
      doc.sandboxes.map((s: { name: string; isDefault: boolean }) => [s.name, s.isDefault]),
    ).toEqual([
      ['alpha', false],
      ['beta', true],
    ]);
  });
});

describe('sandbox verbs', () => {
  it('the root help lists exactly the registered sandbox verbs', () => {
    const io = {
      argv: [],
      env: {},
      cwd: '/',
      stdout: { write: () => true },
      stderr: { write: () => true },
      stdinIsTTY: false,
    };
    const p = buildSandboxProgram(
      io,
      {
        ctx: () => {
          throw new Error('unused');
        },
        world: () => {
          throw new Error('unused');
        },
        setExitCode: () => {},
      },
      'x',
    );
    const names = p.commands.map((c) => c.name()).sort();
    expect(SANDBOX_VERBS.map((v) => v.usage.split(' ')[0]).sort()).toEqual(
      [...new Set(names)].sort(),
    );
  });
});
