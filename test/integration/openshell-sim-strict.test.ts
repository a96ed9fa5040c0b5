/**
 * The simulator's own strictness: argv the real CLI (clap) rejects exits 2, documented runtime
 * rules exit 1 with `Error:`, and the state rules of openshell-contract.md §9 hold. No Docker.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../helpers/simulator.ts';
import { createSimulator, startHealthServer } from '../helpers/simulator.ts';

const POLICY = `version: 1
filesystem_policy: {include_workdir: true, read_only: [/usr, /etc], read_write: [/sandbox, /tmp]}
landlock: {compatibility: best_effort}
process: {run_as_user: sandbox, run_as_group: sandbox}
network_policies:
  github:
    endpoints:
      - {host: api.github.com, port: 443, protocol: rest, enforcement: enforce, access: read-only}
    binaries: [{path: /usr/bin/gh}]
`;

describe('openshell simulator strictness', () => {
  let sim: Simulator;
  let gw: Awaited<ReturnType<typeof startHealthServer>>;
  const policyFile = (name: string, text: string) => {
    const p = join(sim.stateDir, name);
    writeFileSync(p, text);
    return p;
  };

  beforeAll(async () => {
    sim = createSimulator({ docker: false, readyDelayMs: 300 });
    gw = await startHealthServer();
    expect((await sim.run(['gateway', 'add', gw.url, '--local', '--name', 'gw'])).code).toBe(0);
  });
  afterAll(async () => {
    sim.cleanup();
    await gw.close();
  });

  it.each([
    ['unknown subcommand', ['sandbox', 'frobnicate']],
    ['unknown flag', ['sandbox', 'list', '--bogus']],
    ['flag on the wrong subcommand', ['sandbox', 'list', '--policy', 'x.yaml']],
    ['missing value', ['sandbox', 'create', '--name']],
    ['a flag where a value belongs', ['sandbox', 'create', '--name', '--from', 'img']],
    ['--gpu 0', ['sandbox', 'create', '--name', 'a', '--gpu', '0']],
    ['--gpu not a number', ['sandbox', 'create', '--name', 'a', '--gpu=two']],
    ['no credential source', ['provider', 'create', '--name', 'p', '--type', 'openai']],
    [
      'two credential sources',
      [
        'provider',
        'create',
        '--name',
        'p',
        '--type',
        'openai',
        '--credential',
        'K',
        '--from-existing',
      ],
    ],
    ['missing required flag', ['inference', 'set', '--provider', 'p']],
    ['bad output format', ['sandbox', 'list', '-o', 'xml']],
    ['-o json with a trailing command', ['sandbox', 'create', '-o', 'json', '--', 'sh']],
    ['repeated single-use flag', ['sandbox', 'create', '--name', 'a', '--name', 'b']],
    ['-- where no command is taken', ['sandbox', 'list', '--', 'x']],
    ['exec without a command', ['sandbox', 'exec', '-n', 'a']],
    ['not a number', ['policy', 'set', 'a', '--policy', 'p', '--timeout', 'soon']],
    ['legacy gateway start (removed in 0.0.37)', ['gateway', 'start']],
    ['--local with --remote', ['gateway', 'add', 'http://x', '--local', '--remote', 'u@h']],
  ])('exits 2 for %s', async (_what, args) => {
    const r = await sim.run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toContain("For more information, try '--help'.");
  });

  it('accepts globals anywhere, -g, --flag=value and the hidden --keep', async () => {
    const r = await sim.run(['-g', 'gw', 'sandbox', 'list', '--limit=5', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect((await sim.run(['--version'])).stdout).toBe('openshell 0.0.111\n');
  });

  it('reports a real but unsimulated command apart from usage errors', async () => {
    const r = await sim.run(['workspace', 'member', 'list']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('does not implement');
  });

  it('status: Connected when the endpoint answers HTTP, Disconnected otherwise, exit 0', async () => {
    const up = await sim.run(['status', '-g', 'gw']);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/Status: Connected\n/);
    expect(up.stdout).toMatch(/Version: 0\.0\.111/);
    await sim.run(['gateway', 'add', 'http://127.0.0.1:9', '--name', 'down']);
    const down = await sim.run(['status', '-g', 'down', '-o', 'json']);
    expect(down.code).toBe(0);
    expect(JSON.parse(down.stdout)).toMatchObject({ gateway: 'down', status: 'disconnected' });
    await sim.run(['gateway', 'select', 'gw']);
  });

  it('sandboxes: Provisioning then Ready; a duplicate name exits 1 with Error:', async () => {
    // Ready comes 10 s after the record is written: far more than listing it takes, however
    // loaded the machine, so the first sighting is Provisioning. Create returns once it is Ready.
    let done = false;
    const create = sim
      .run(['sandbox', 'create', '--name', 'sb1', '--from', 'img:1', '--keep', '-g', 'gw'], {
        env: { OPENSHELL_SIM_READY_DELAY_MS: '10000' },
      })
      .finally(() => (done = true));
    // Wait for the sandbox to appear (no sleep: each list is a process start), and note its phase.
    let early: string | undefined;
    while (early === undefined && !done) {
      const list = await sim.run(['sandbox', 'list', '-g', 'gw', '-o', 'json']);
      expect(list.code, list.stderr).toBe(0);
      early = (JSON.parse(list.stdout) as { name: string; phase: string }[]).find(
        (s) => s.name === 'sb1',
      )?.phase;
    }
    expect(early).toBe('Provisioning');
    const created = await create;
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Created sandbox: sb1');
    const get = await sim.run(['sandbox', 'get', 'sb1', '-g', 'gw']);
    expect(get.stdout).toMatch(/^\s*Phase:\s+Ready$/m);
    const dup = await sim.run([
      'sandbox',
      'create',
      '--name',
      'sb1',
      '--from',
      'img:1',
      '-g',
      'gw',
    ]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/^Error: .*AlreadyExists/);
  });

  // crates/openshell-server/src/grpc/validation.rs (validate_sandbox_spec) at v0.0.111.
  it.each([
    ['a-twenty-char-name-x', 'name exceeds maximum length (20 > 19)'],
    ['Upper', 'must contain only lowercase alphanumeric characters or hyphens'],
    ['under_score', 'must contain only lowercase alphanumeric characters or hyphens'],
    ['-lead', 'must not start or end with a hyphen'],
    ['trail-', 'must not start or end with a hyphen'],
    ['two--hyphens', 'must not contain consecutive hyphens'],
  ])('sandbox create refuses the name %j as the gateway does', async (name, message) => {
    const r = await sim.run(['sandbox', 'create', `--name=${name}`, '--from', 'base', '-g', 'gw']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('InvalidArgument');
    expect(r.stderr).toContain(message);
    const list = await sim.run(['sandbox', 'list', '-g', 'gw', '-o', 'json']);
    expect(list.stdout).not.toContain(name);
  });

  it('sandbox create accepts a 19-character name and one that starts with a digit', async () => {
    for (const name of ['nineteen-chars-okay', '9lives']) {
      const r = await sim.run(['sandbox', 'create', '--name', name, '--from', 'base', '-g', 'gw']);
      expect(r.code, r.stderr).toBe(0);
      expect((await sim.run(['sandbox', 'delete', name, '-g', 'gw'])).code).toBe(0);
    }
  });

  it('provider create: duplicates exit 1; the value stays out of state and the log', async () => {
    const env = { MY_API_KEY: 'sk-canary-0123456789abcdef' };
    const args = [
      'provider',
      'create',
      '--name',
      'p1',
      '--type',
      'openai',
      '--credential',
      'MY_API_KEY',
    ];
    expect((await sim.run(args, { env })).code).toBe(0);
    const dup = await sim.run(args, { env });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/^Error: .*already exists/);
    const unknown = await sim.run(
      ['provider', 'create', '--name', 'p2', '--type', 'ollama', '--credential', 'MY_API_KEY'],
      { env },
    );
    expect(unknown.stderr).toContain('unsupported provider type or profile: ollama');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(sim.stateDir, 'state.json'), 'utf8')).not.toContain('sk-canary');
    expect(readFileSync(sim.logFile, 'utf8')).not.toContain('sk-canary');
    expect(sim.invocations().at(-1)?.secretEnv).toContain('MY_API_KEY');
  });

  it('policies: unknown keys, version, root, rules: [], static sections, versions move on change only', async () => {
    const base = policyFile('base.yaml', POLICY);
    const created = await sim.run([
      'sandbox',
      'create',
      '--name',
      'sb2',
      '--from',
      'i:1',
      '--policy',
      base,
    ]);
    expect(created.code).toBe(0);
    const set = (file: string) => sim.run(['policy', 'set', 'sb2', '--policy', file, '--wait']);
    const ok = policyFile('ok.yaml', POLICY.replace('api.github.com', 'uploads.github.com'));
    const first = await set(ok);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/Policy version 2 submitted/);
    expect((await set(ok)).stderr).toMatch(/Policy unchanged \(version 2/);
    const bad: [string, string, RegExp][] = [
      ['unknown key', `${POLICY}extra: 1\n`, /unknown field `extra`/],
      ['version', POLICY.replace('version: 1', 'version: 2'), /policy version 2/],
      ['root', POLICY.replace('run_as_user: sandbox', 'run_as_user: root'), /run_as_user 'root'/],
      ['rules: []', POLICY.replace('access: read-only', 'rules: []'), /rules must not be empty/],
      [
        'landlock change',
        POLICY.replace('best_effort', 'hard_requirement'),
        /landlock policy cannot be changed/,
      ],
      [
        'filesystem shrink',
        POLICY.replace('read_write: [/sandbox, /tmp]', 'read_write: [/tmp]'),
        /read_write path '\/sandbox' cannot be removed/,
      ],
    ];
    for (const [name, text, message] of bad) {
      const r = await set(policyFile(`${name.replace(/\W/g, '_')}.yaml`, text));
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).toMatch(message);
    }
    const grown = POLICY.replace(
      'read_only: [/usr, /etc]',
      'read_only: [/usr, /etc, /opt]',
    ).replace('api.github.com', 'uploads.github.com');
    expect((await set(policyFile('grown.yaml', grown))).stderr).toMatch(/version 3 submitted/);
    const list = await sim.run(['policy', 'list', 'sb2']);
    expect(list.stdout).toMatch(/^3\s+\w{12}\s+Loaded/m);
    expect(list.stdout).toMatch(/^2\s+\w{12}\s+Superseded/m);
  });

  it('fault injection fails the n-th call; latency delays it; every call is logged', async () => {
    const knobs = {
      OPENSHELL_SIM_FAIL: 'provider list:2:124',
      OPENSHELL_SIM_LATENCY: 'provider list:300',
    };
    const t0 = Date.now();
    const r1 = await sim.run(['provider', 'list'], { env: knobs });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    const r2 = await sim.run(['provider', 'list'], { env: knobs });
    const r3 = await sim.run(['provider', 'list'], { env: knobs });
    expect([r1.code, r2.code, r3.code]).toEqual([0, 124, 0]);
    expect(r2.stderr).toContain('simulated failure');
    const calls = sim.invocations().filter((i) => i.command === 'provider list');
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.at(-1)?.argv).toEqual(['provider', 'list']);
  });
});
