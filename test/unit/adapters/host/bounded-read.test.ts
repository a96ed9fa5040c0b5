/**
 * Issue 18 item 4: every input has a bound. Each case is refused with a usage error (exit 2)
 * before it is parsed, and changes nothing.
 */
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSnapshots } from '../../../../src/adapters/snapshot/store.ts';
import { parseCustomPolicyFile } from '../../../../src/core/policy/parse.ts';
import { runCli } from '../../../helpers/cli.ts';
import { sandboxEntry, useTestHome } from '../../../helpers/context.ts';

const t = useTestHome({ prefix: 'nc-bounds-', sandboxes: [sandboxEntry()] });

const run = (argv: string[]) =>
  runCli(
    argv,
    { NEMOCLAW_HOME: t.home, NEMOCLAW_OPENSHELL_BIN: '/nonexistent/openshell' },
    { cwd: t.home },
  );

/** A YAML document whose aliases expand to 10^9 nodes. */
function aliasBomb(): string {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 10; i++)
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `version: 1\nnetwork_policies:\n  bomb:\n    endpoints: []\n    extra: *a9\n${lines.map((l) => `x_${l}`).join('\n')}\n`.replace(
    /^x_(a\d+): /gm,
    '$1: ',
  );
}

describe('policy files', () => {
  it('a 50 MB policy file is refused before it is read (the issue’s example)', async () => {
    const f = join(t.home, 'big.yaml');
    writeFileSync(f, 'network_policies:\n');
    truncateSync(f, 50 * 1024 * 1024);
    const r = await run(['alpha', 'policy-add', '--from-file', 'big.yaml', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/more than the 1 MiB/);
    expect(r.stderr).not.toMatch(/bug in nemoclaw/i);
  });

  it('a YAML alias bomb is a usage error, not a bug', async () => {
    writeFileSync(join(t.home, 'bomb.yaml'), aliasBomb());
    const r = await run(['alpha', 'policy-add', '--from-file', 'bomb.yaml', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/alias/i);
    expect(r.stderr).not.toMatch(/bug in nemoclaw/i);
  });

  it('an alias cycle or a 5 MB YAML text is refused by the parser itself', () => {
    expect(() => parseCustomPolicyFile(aliasBomb(), 'bomb.yaml')).toThrow(/alias/i);
    expect(() => parseCustomPolicyFile(`# ${'x'.repeat(5 * 1024 * 1024)}\n`, 'big.yaml')).toThrow(
      /more than the/,
    );
  });

  it('a folder given as the policy file is refused', async () => {
    mkdirSync(join(t.home, 'dir.yaml'));
    const r = await run(['alpha', 'policy-add', '--from-file', 'dir.yaml', '--yes']);
    expect(r.code).toBe(2);
  });
});

describe('skills, blueprints and manifests', () => {
  it('a SKILL.md over its bound is refused', async () => {
    const dir = join(t.home, 'skill');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'SKILL.md'),
      `---\nname: s\ndescription: d\n---\n${'x'.repeat(2 * 1024 * 1024)}`,
    );
    const r = await run(['alpha', 'skill', 'install', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/more than the|limit/);
  });

  it('a blueprint.yaml over its bound is refused', async () => {
    const dir = join(t.home, 'bp');
    mkdirSync(dir);
    writeFileSync(join(dir, 'blueprint.yaml'), 'version: 0.9.0\n');
    truncateSync(join(dir, 'blueprint.yaml'), 8 * 1024 * 1024);
    const r = await run(['blueprint', 'show', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/more than the 1 MiB/);
  });

  it('a manifest over its bound is unreadable, not parsed', async () => {
    const d = join(t.home, 'snapshots', 'alpha');
    mkdirSync(d, { recursive: true });
    const m = join(d, '20260101T000000Z-abcdef.manifest.json');
    writeFileSync(m, '{}');
    truncateSync(m, 65 * 1024 * 1024);
    const { snapshots, unreadable } = await listSnapshots(join(t.home, 'snapshots'), 'alpha');
    expect(snapshots).toEqual([]);
    expect(unreadable[0]!.problem).toMatch(/more than/);
  });
});

describe('flags', () => {
  it.each(['BREW', 'G3T', 'x'.repeat(5000)])('--method %s is refused', async (m) => {
    const r = await run([
      'alpha',
      'policy-check',
      'https://api.github.com/',
      '--method',
      m.slice(0, 5000),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not an HTTP method');
  });

  it('debug --sandbox must name a registered sandbox', async () => {
    const r = await run([
      'debug',
      '--sandbox',
      '../../etc/passwd',
      '--output',
      join(t.home, 'b.tgz'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not registered');
    expect(() => readFileSync(join(t.home, 'b.tgz'))).toThrow();
  });
});
