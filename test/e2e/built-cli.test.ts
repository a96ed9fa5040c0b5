import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { createSimulator, startHealthServer, type Simulator } from '../helpers/simulator.ts';

const DIST = join(import.meta.dirname, '../../dist');

describe('the built CLI', () => {
  it('prints the same root help as the command framework renders', async () => {
    const built = execFileSync(process.execPath, [join(DIST, 'nemoclaw.js'), '--help'], {
      encoding: 'utf8',
    });
    const live = await runCli(['--help'], { NEMOCLAW_HOME: tmpdir() });
    expect(built).toBe(live.stdout);
  });

  it('nemohermes is nemoclaw with the hermes agent', () => {
    const v = execFileSync(process.execPath, [join(DIST, 'nemohermes.js'), '--version'], {
      encoding: 'utf8',
    });
    expect(v).toMatch(/^nemoclaw v\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 on a usage error and 0 on list', () => {
    const home = mkdtempSync(join(tmpdir(), 'nc-built-'));
    try {
      const bad = spawnSync(process.execPath, [join(DIST, 'nemoclaw.js'), 'lst'], {
        encoding: 'utf8',
        env: { ...process.env, NEMOCLAW_HOME: home },
      });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('Did you mean `nemoclaw list`?');
      const ok = spawnSync(process.execPath, [join(DIST, 'nemoclaw.js'), 'list', '--json'], {
        encoding: 'utf8',
        env: { ...process.env, NEMOCLAW_HOME: home },
      });
      expect(ok.status).toBe(0);
      expect(JSON.parse(ok.stdout)).toEqual({
        schemaVersion: 1,
        defaultSandbox: null,
        gateways: [],
        sandboxes: [],
        untracked: [],
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

/**
 * `--version`, `--help` and `list` are answered by the built entry's fast paths (src/cli.ts,
 * src/list-fast.ts): they must print exactly what the full program prints.
 */
describe('the built CLI’s fast paths', () => {
  let home: string;
  let sim: Simulator;
  let gw: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    sim = createSimulator({ docker: false });
    gw = await startHealthServer();
    expect((await sim.run(['gateway', 'add', gw.url, '--local', '--name', 'nemoclaw'])).code).toBe(
      0,
    );
  });
  afterAll(async () => {
    sim.cleanup();
    await gw.close();
  });
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'nc-built-fast-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  function builtList(args: string[]) {
    const r = spawnSync(process.execPath, [join(DIST, 'nemoclaw.js'), ...args], {
      encoding: 'utf8',
      env: { ...sim.env, NEMOCLAW_HOME: home },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  async function sameAsFullProgram(args: string[]) {
    const built = builtList(args);
    const full = await runCli(args, { ...sim.env, NEMOCLAW_HOME: home });
    expect(built).toEqual(full);
    return built;
  }

  it('list on one gateway: the same text and JSON as the full program, phases from OpenShell', async () => {
    writeFileSync(join(home, 'sandboxes.json'), JSON.stringify(registry(['b', 'a'], 'b')));
    const t = await sameAsFullProgram(['list']);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('  b *');
    expect(t.stdout).toContain('phase: missing (OpenShell does not know it)');
    expect(t.stdout).toContain('gateway nemoclaw: up');
    const j = await sameAsFullProgram(['list', '--json']);
    expect(JSON.parse(j.stdout).sandboxes.map((s: { name: string }) => s.name)).toEqual(['a', 'b']);
  });

  it('list with a gateway down: the same words and exit 1', async () => {
    const reg = registry(['up-one', 'down-one'], 'up-one');
    reg.sandboxes['down-one']!.gatewayName = 'ghost';
    writeFileSync(join(home, 'sandboxes.json'), JSON.stringify(reg));
    const t = await sameAsFullProgram(['list']);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain('gateway ghost: down');
    expect(t.stderr).toContain('A gateway is down');
    expect((await sameAsFullProgram(['list', '--json'])).code).toBe(1);
  });

  it('a registry the schema refuses is refused with the same message, and left untouched', async () => {
    for (const text of [
      '{nope',
      JSON.stringify({ ...registry(['a']), defaultSandbox: 7 }),
      JSON.stringify({ ...registry(['a']), schemaVersion: 9 }),
    ]) {
      writeFileSync(join(home, 'sandboxes.json'), text);
      const r = await sameAsFullProgram(['list']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(join(home, 'sandboxes.json'));
      expect(readFileSync(join(home, 'sandboxes.json'), 'utf8')).toBe(text);
    }
  });

  it('the list bundle compiles its functions with the top level (they are in the compile cache)', () => {
    const text = readFileSync(join(DIST, 'chunks', 'list-fast.js'), 'utf8');
    expect(text).not.toMatch(/^(?:async )?function \w+\(/m);
    const eager = text.match(/^var (\w+) = \((?:async )?function \1\(/gm) ?? [];
    expect(eager.length).toBeGreaterThan(20);
    expect(eager).toContain('var listSandboxes = (async function listSandboxes(');
  });

  it('the list bundle and the full program share one redaction module and one error class', async () => {
    // One copy in dist/: the list bundle holds them, and the split chunks import them from it.
    const chunks = join(DIST, 'chunks');
    const defining = readdirSync(chunks).filter(
      (f) =>
        f.endsWith('.js') &&
        /function registerSecretsFromEnv\(|class NemoclawError\b/.test(
          readFileSync(join(chunks, f), 'utf8'),
        ),
    );
    expect(defining).toEqual(['list-fast.js']);
    // A secret the fast path registers from the environment is masked in an error that the full
    // program prints once the fast path has handed over (main's reportError registers nothing).
    const list = await import(pathToFileURL(join(chunks, 'list-fast.js')).href);
    const mainChunk = /import\("\.\/chunks\/(main-[\w-]+\.js)"\)/.exec(
      readFileSync(join(DIST, 'nemoclaw.js'), 'utf8'),
    )![1]!;
    const main = await import(pathToFileURL(join(chunks, mainChunk)).href);
    const secret = 'fast-path-Secret-4711-zq8V';
    let out = '';
    let err = '';
    const io = {
      argv: ['list'],
      env: { NEMOCLAW_HOME: home, NEMOCLAW_TEST_API_KEY: secret },
      cwd: home,
      stdout: { write: (s: string) => ((out += s), true), isTTY: false },
      stderr: { write: (s: string) => ((err += s), true), isTTY: false },
      stdinIsTTY: false,
    };
    expect(await list.listFast(io, false)).toBe(0);
    expect(out).toContain('No sandboxes registered.');
    const code = main.reportError(
      new list.NemoclawError('not-found', `no gateway for ${secret}`, { hint: 'a hint' }),
      io,
      undefined,
    );
    expect(err).toBe('Error: no gateway for <REDACTED>\n  a hint\n');
    expect(code).toBe(new list.NemoclawError('not-found', 'x').exitCode);
  });

  it('a compile cache folder that cannot be made fails nothing', () => {
    writeFileSync(join(home, 'a-file'), '');
    const r = spawnSync(process.execPath, [join(DIST, 'nemoclaw.js'), 'list'], {
      encoding: 'utf8',
      env: { ...process.env, NEMOCLAW_HOME: home, XDG_CACHE_HOME: join(home, 'a-file') },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No sandboxes registered.');
  });

  it('a reader that goes away early is not an error', async () => {
    const names = Array.from({ length: 1500 }, (_, i) => `sandbox-${i}`);
    writeFileSync(join(home, 'sandboxes.json'), JSON.stringify(registry(names)));
    const child = spawn(process.execPath, [join(DIST, 'nemoclaw.js'), 'list'], {
      env: { ...sim.env, NEMOCLAW_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((r) => child.stdout.once('data', r));
    child.stdout.destroy();
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });
});

function registry(names: string[], defaultSandbox: string | null = null) {
  const sandboxes: Record<string, Record<string, unknown> & { gatewayName: string }> = {};
  for (const name of names) {
    sandboxes[name] = {
      name,
      agent: 'openclaw',
      provider: 'build',
      model: 'nvidia/nemotron-3-super-120b-a12b',
      blueprintVersion: '0.1.0',
      blueprintDigest: `sha256:${'a'.repeat(64)}`,
      image: 'nemoclaw-sandbox-openclaw:0.1.0',
      policyTier: 'balanced',
      presets: ['npm', 'pypi'],
      gpu: { enabled: false },
      dashboardPort: 18789,
      gatewayName: 'nemoclaw',
      createdAt: '2026-11-21T00:00:00.000Z',
      updatedAt: '2026-11-21T00:00:00.000Z',
    };
  }
  return { schemaVersion: 1, defaultSandbox, sandboxes };
}
