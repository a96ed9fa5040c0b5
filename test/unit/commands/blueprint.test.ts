import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';

describe('blueprint commands', () => {
  it('list prints versions with digests; show prints the pinned OpenShell range', async () => {
    const list = await runCli(['blueprint', 'list', '--json'], { NEMOCLAW_HOME: tmpdir() });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).blueprints[0]).toMatchObject({ version: '0.1.0' });
    const show = await runCli(['blueprint', 'show'], { NEMOCLAW_HOME: tmpdir() });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('min_version: 0.0.111');
  });
  it('verify exits 0 on the packaged blueprint', async () => {
    const res = await runCli(['blueprint', 'verify'], { NEMOCLAW_HOME: tmpdir() });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('verified');
  });
});
