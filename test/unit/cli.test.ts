import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  mkdirSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { createLazyLogger, logFileName, pruneLogs } from '../../src/adapters/log.ts';
import { clearKnownSecrets, registerSecret } from '../../src/core/redact.ts';
import { SANDBOX_VERBS } from '../../src/commands/sandbox.ts';
import { buildSandboxProgram } from '../../src/program.ts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'nc-cli-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('global behaviour', () => {
  it('--version prints the version', async () => {
    const r = await runCli(['--version'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^nemoclaw v\d+\.\d+\.\d+\n$/);
  });

  it('--help lists commands and the sandbox verbs', async () => {
    const r = await runCli(['--help'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: nemoclaw');
    expect(r.stdout).toContain('blueprint');
    expect(r.stdout).toContain('Sandbox commands');
  });

  it('an unknown command exits 2 with a suggestion', async () => {
    const r = await runCli(['lsit'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean `nemoclaw list`?');
  });

  it('an unknown flag exits 2 with a suggestion', async () => {
    const r = await runCli(['list', '--jsn'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--jsn'");
    expect(r.stderr).toContain('--json');
  });

  it('a missing argument value exits 2', async () => {
    const r = await runCli(['blueprint', 'verify', '--blueprint-sha256'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(2);
  });

  it('an unknown sandbox name exits 2 and suggests a registered one', async () => {
    writeRegistry(home, ['my-assistant']);
    const r = await runCli(['my-assistent', 'status'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean the sandbox `my-assistant`?');
  });

  it('a corrupt registry is reported with its path, exit 1, file untouched', async () => {
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'sandboxes.json'), '{nope');
    const r = await runCli(['list'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(home, 'sandboxes.json'));
    expect(readFileSync(join(home, 'sandboxes.json'), 'utf8')).toBe('{nope');
  });
});

describe('list', () => {
  it('says how to start when nothing is registered', async () => {
    const r = await runCli(['list'], { NEMOCLAW_HOME: home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No sandboxes registered. Run `nemoclaw onboard` to get started.');
  });

  it('marks the default sandbox, in text and JSON', async () => {
    writeRegistry(home, ['alpha', 'beta'], 'beta');
    const t = await runCli(['list'], { NEMOCLAW_HOME: home });
    expect(t.stdout).toContain('  beta *');
    expect(t.stdout).toMatch(/ {2}alpha\n/);
    const j = await runCli(['list', '--json'], { NEMOCLAW_HOME: home });
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

describe('log file', () => {
  afterEach(() => clearKnownSecrets());

  it('writes redacted JSON lines to logs/nemoclaw-YYYY-MM-DD.jsonl with mode 0600', () => {
    const dir = join(home, 'logs');
    registerSecret('canary-secret-value-123');
    const log = createLazyLogger({ dir, now: () => new Date('2026-11-21T10:00:00Z') });
    log.info({ note: 'key is canary-secret-value-123', header: 'Bearer abcdefghijkl' }, 'hello');
    log.flush();
    const file = join(dir, 'nemoclaw-2026-11-21.jsonl');
    const text = readFileSync(file, 'utf8');
    const line = JSON.parse(text.trim().split('\n')[0]!);
    expect(line.msg).toBe('hello');
    expect(text).not.toContain('canary-secret-value-123');
    expect(text).not.toContain('abcdefghijkl');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps seven days of logs', () => {
    const dir = join(home, 'logs');
    mkdirSync(dir, { recursive: true });
    const now = new Date('2026-11-21T10:00:00Z');
    for (let d = 0; d < 10; d++) {
      writeFileSync(join(dir, logFileName(new Date(now.getTime() - d * 86_400_000))), '{}\n');
    }
    writeFileSync(join(dir, 'other.txt'), 'keep');
    pruneLogs(dir, now);
    const left = readdirSync(dir).sort();
    expect(left).toContain('other.txt');
    expect(left.filter((n) => n.endsWith('.jsonl'))).toHaveLength(7);
    expect(left).toContain('nemoclaw-2026-11-21.jsonl');
    expect(left).toContain('nemoclaw-2026-11-15.jsonl');
    expect(left).not.toContain('nemoclaw-2026-11-14.jsonl');
  });
});

function writeRegistry(dir: string, names: string[], def?: string): void {
  const now = '2026-11-21T00:00:00.000Z';
  const sandboxes = Object.fromEntries(
    names.map((name) => [
      name,
      {
        name,
        agent: 'openclaw',
        provider: 'build',
        model: 'nvidia/nemotron-3-super-120b-a12b',
        blueprintVersion: '0.1.0',
        blueprintDigest: `sha256:${'a'.repeat(64)}`,
        image: 'nemoclaw-sandbox-openclaw:0.1.0-aaaaaaaaaaaa',
        policyTier: 'balanced',
        presets: ['npm'],
        customPolicies: [],
        gpu: { enabled: false },
        dashboardPort: 18789,
        gatewayName: 'nemoclaw',
        channels: [],
        createdAt: now,
        updatedAt: now,
      },
    ]),
  );
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'sandboxes.json'),
    JSON.stringify({ schemaVersion: 1, defaultSandbox: def ?? names[0] ?? null, sandboxes }),
  );
}

describe('the compile cache folder', () => {
  it('is in the user’s own cache folder, never a relative or shared one', async () => {
    const { compileCacheDir } = await import('../../src/cli.ts');
    expect(compileCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe(
      '/x/cache/nemoclaw/compile-cache',
    );
    expect(compileCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/nemoclaw/compile-cache');
    expect(compileCacheDir({ XDG_CACHE_HOME: 'rel', HOME: '/home/u' })).toBe(
      '/home/u/.cache/nemoclaw/compile-cache',
    );
    expect(compileCacheDir({ HOME: 'rel' })).toBeUndefined();
    expect(compileCacheDir({})).toBeUndefined();
  });
});
