import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

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
