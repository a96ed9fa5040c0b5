import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { writeRegistryFile } from '../../helpers/context.ts';

const hasBash = spawnSync('bash', ['-c', 'true']).status === 0;
const hasFish = spawnSync('fish', ['-c', 'true']).status === 0;
const hasZsh = spawnSync('zsh', ['-c', 'true']).status === 0;

describe('shell completion', () => {
  let dir: string;
  let home: string;
  let script: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nc-completion-'));
    home = join(dir, 'home');
    const r = await runCli(['completion', 'bash'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(0);
    script = join(dir, 'nemoclaw.bash');
    writeFileSync(script, r.stdout);
    // The script asks `nemoclaw __complete sandboxes`; a stand-in on PATH answers like the CLI.
    writeFileSync(
      join(dir, 'nemoclaw'),
      '#!/bin/sh\n[ "$1 $2" = "__complete sandboxes" ] && printf "alpha\\nbeta\\n"\n',
    );
    chmodSync(join(dir, 'nemoclaw'), 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function complete(words: string[]): string[] {
    const quoted = words.map((w) => `'${w}'`).join(' ');
    const r = spawnSync(
      'bash',
      [
        '--norc',
        '--noprofile',
        '-c',
        `source '${script}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _nemoclaw; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}`, HOME: dir } },
    );
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  }

  it.skipIf(!hasBash)('completes global commands, subcommands, options and choices', () => {
    expect(complete(['nemoclaw', 'bl'])).toEqual(['blueprint']);
    expect(complete(['nemoclaw', 'blueprint', 'v'])).toEqual(['verify']);
    expect(complete(['nemoclaw', 'blueprint', 'verify', '--'])).toEqual([
      '--blueprint-sha256',
      '--json',
      '--help',
    ]);
    expect(complete(['nemoclaw', 'uninstall', '--d'])).toEqual([
      '--delete-models',
      '--destroy-user-data',
      '--dry-run',
    ]);
    expect(complete(['nemoclaw', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(complete(['nemoclaw', '--verbose', 'do'])).toEqual(['doctor']);
  });

  it.skipIf(!hasBash)(
    'completes sandbox names at the first position and sandbox verbs after one',
    () => {
      expect(complete(['nemoclaw', 'al'])).toEqual(['alpha']);
      expect(complete(['nemoclaw', ''])).toEqual(
        expect.arrayContaining(['onboard', 'gc', 'alpha', 'beta']),
      );
      expect(complete(['nemoclaw', 'alpha', 'policy-'])).toEqual([
        'policy-add',
        'policy-remove',
        'policy-list',
        'policy-get',
        'policy-check',
      ]);
      expect(complete(['nemoclaw', 'alpha', 'policy-add', '--'])).toEqual([
        '--from-file',
        '--yes',
        '--dry-run',
        '--help',
      ]);
    },
  );

  it('`__complete sandboxes` reads the registry and is hidden from help', async () => {
    const h = join(dir, 'home2');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(h, { recursive: true });
    writeRegistryFile(h, ['zeta', 'alpha']);
    const r = await runCli(['__complete', 'sandboxes'], { NEMOCLAW_HOME: h });
    expect(r).toMatchObject({ code: 0, stdout: 'alpha\nzeta\n' });
    const help = await runCli(['--help'], { NEMOCLAW_HOME: h });
    expect(help.stdout).not.toContain('__complete');
    expect(help.stdout).toContain('completion <shell>');
  });

  it('rejects an unknown shell with a usage error', async () => {
    const r = await runCli(['completion', 'tcsh'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bash, zsh, fish');
  });

  it.skipIf(!hasFish)('the fish script parses', async () => {
    const r = await runCli(['completion', 'fish'], { NEMOCLAW_HOME: home });
    const f = join(dir, 'n.fish');
    writeFileSync(f, r.stdout);
    expect(spawnSync('fish', ['--no-execute', f]).status).toBe(0);
  });

  it.skipIf(!hasZsh)('the zsh script parses', async () => {
    const r = await runCli(['completion', 'zsh'], { NEMOCLAW_HOME: home });
    const f = join(dir, 'n.zsh');
    writeFileSync(f, r.stdout);
    expect(spawnSync('zsh', ['-n', f]).status).toBe(0);
  });
});
