import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Context } from '../../../src/context.ts';
import { buildContext, createWorld, reportError, type MainIo } from '../../../src/main.ts';
import { runProgram } from '../../../src/program.ts';
import { fakeSandbox, treeDigest, type FakeClient } from '../../helpers/fake-sandbox.ts';
import { seedOpenclaw } from '../../helpers/snapshot-fixtures.ts';
import { sandboxEntry, writeRegistryFile } from '../../helpers/context.ts';

let dir: string;
let home: string;
let sb: FakeClient;
const entry = (name: string) =>
  sandboxEntry({
    name,
    blueprintDigest: `sha256:${'0'.repeat(64)}`,
    presets: ['npm'],
    createdAt: '2026-05-18T00:00:00.000Z',
    updatedAt: '2026-05-18T00:00:00.000Z',
  });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nc-snap-cli-'));
  home = join(dir, 'home');
  mkdirSync(home, { mode: 0o700 });
  writeRegistryFile(home, [entry('alpha'), entry('beta')]);
  mkdirSync(join(dir, 'root'));
  seedOpenclaw(join(dir, 'root'));
  // The blueprint's state paths are in the state folder beside the (generated) config folder.
  renameSync(join(dir, 'root/sandbox/.openclaw'), join(dir, 'root/sandbox/.openclaw-data'));
  sb = fakeSandbox(join(dir, 'root'), 'alpha');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const io: MainIo = {
    argv,
    env: { NEMOCLAW_HOME: home, ...env },
    cwd: dir,
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdinIsTTY: false,
  };
  let ctx: Context | undefined;
  let code: number;
  try {
    code = await runProgram(
      io,
      (f) => (ctx = buildContext(io, f)),
      (c) => ({ ...createWorld(c), sandboxClient: async () => sb as never }),
    );
  } catch (e) {
    code = reportError(e, io, ctx);
  }
  return { code, out, err };
}

describe('nemoclaw <name> snapshot …', () => {
  it('creates, lists, verifies, restores and deletes', async () => {
    const c = await run(['alpha', 'snapshot', 'create', '--name', 'first']);
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/Saved:\n {2}\/sandbox\/\.openclaw-data\/memory/);
    expect(c.out).toMatch(/\/sandbox\/\.openclaw-data\/canvas: not present in the sandbox/);
    expect((await run(['alpha', 'snapshot', 'create'])).code).toBe(0);

    const l = await run(['alpha', 'snapshot', 'list', '--json']);
    const listed = JSON.parse(l.out) as { snapshots: { version: string; name: string | null }[] };
    expect(listed.snapshots.map((s) => [s.version, s.name])).toEqual([
      ['v1', 'first'],
      ['v2', null],
    ]);
    expect((await run(['alpha', 'snapshot', 'verify', 'first'])).out).toMatch(/verified/);

    const before = treeDigest(join(sb.root, 'sandbox'));
    writeFileSync(join(sb.root, 'sandbox/.openclaw-data/workspace/SOUL.md'), 'lost?\n');
    const noYes = await run(['alpha', 'snapshot', 'restore', 'first']);
    expect(noYes.code).toBe(2);
    expect(noYes.err).toMatch(/--yes/);
    const r = await run(['alpha', 'snapshot', 'restore', 'first', '--yes']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /Restored snapshot .* into alpha:\n {2}\/sandbox\/\.openclaw-data\/memory \(2 files/,
    );
    expect(r.out).toMatch(
      /Skipped:\n.*\/sandbox\/\.openclaw-data\/agents: it was not in the sandbox/,
    );
    expect(treeDigest(join(sb.root, 'sandbox'))).toBe(before);
    // Non-interactive is not consent (issue 18 item 6): it needs --yes or NEMOCLAW_YES=1.
    const ni = await run(['alpha', 'snapshot', 'restore', 'v2'], { NEMOCLAW_NON_INTERACTIVE: '1' });
    expect(ni.code).toBe(2);
    const yes = await run(['alpha', 'snapshot', 'restore', 'v2'], {
      NEMOCLAW_NON_INTERACTIVE: '1',
      NEMOCLAW_YES: '1',
    });
    expect(yes.code).toBe(0);

    // Deleting a snapshot is destructive: it needs --yes when nobody can be asked (issue 18 item 6).
    expect((await run(['alpha', 'snapshot', 'delete', 'v1'])).code).toBe(2);
    expect((await run(['alpha', 'snapshot', 'delete', 'v1', '--yes'])).code).toBe(0);
    const after = JSON.parse((await run(['alpha', 'snapshot', 'list', '--json'])).out) as {
      snapshots: unknown[];
    };
    expect(after.snapshots).toHaveLength(1);
    expect((await run(['alpha', 'snapshot', 'delete', 'first', '--yes'])).code).toBe(1);
  });

  it('refuses a bad name (exit 2) and a tampered archive (exit 1, sandbox unchanged)', async () => {
    expect((await run(['alpha', 'snapshot', 'create', '--name', 'v3'])).code).toBe(2);
    expect((await run(['alpha', 'snapshot', 'create'])).code).toBe(0);
    const sdir = join(home, 'snapshots', 'alpha');
    const archive = readdirSync(sdir).find((n) => n.endsWith('.tar.gz'))!;
    writeFileSync(join(sdir, archive), 'not what it was');
    const before = treeDigest(sb.root);
    const r = await run(['alpha', 'snapshot', 'restore', '--yes']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/failed verification/);
    expect(treeDigest(sb.root)).toBe(before);
    expect((await run(['alpha', 'snapshot', 'verify'])).code).toBe(1);
  });

  it('refuses to restore a snapshot of another agent', async () => {
    expect((await run(['alpha', 'snapshot', 'create'])).code).toBe(0);
    const reg = JSON.parse(readFileSync(join(home, 'sandboxes.json'), 'utf8')) as {
      sandboxes: Record<string, { agent: string }>;
    };
    reg.sandboxes.alpha!.agent = 'hermes';
    writeFileSync(join(home, 'sandboxes.json'), JSON.stringify(reg));
    const r = await run(['alpha', 'snapshot', 'restore', '--yes']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds openclaw state, but alpha runs hermes/);
  });

  it('backup-all continues past a failing sandbox and exits 1', async () => {
    const r = await run(['backup-all']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/ok {6}alpha: \d{8}T\d{6}Z-[0-9a-f]{6}/);
    expect(r.out).toMatch(/FAILED {2}beta: Sandbox "beta" does not exist in OpenShell/);
  });
});
