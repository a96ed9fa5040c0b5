/**
 * Issue 18 item 8: what killed snapshot creates and restores leave is found by `gc` and `doctor`,
 * removed by `gc` and by the next create, and nothing of a live process is touched.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { findSnapshotLitter } from '../../../../src/adapters/snapshot/litter.ts';
import { stateChecks } from '../../../../src/core/doctor.ts';
import { runCli } from '../../../helpers/cli.ts';
import { useTestHome } from '../../../helpers/context.ts';

let sdir: string;
const t = useTestHome({ prefix: 'nc-litter-' });
beforeEach(() => {
  sdir = join(t.home, 'snapshots', 'alpha');
  mkdirSync(sdir, { recursive: true });
});

/** A pid whose process has exited. */
const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;

function seed() {
  const dead = {
    partial: join(sdir, `.20260101T000000Z-abcdef-${deadPid}.tar.gz.tmp`),
    legacy: join(sdir, '.20260102T000000Z-bcdefa.tar.gz.tmp'),
    staging: join(sdir, `.staging-${deadPid}-0badf00d`),
    restore: join(sdir, `.restore-${deadPid}-0badf00d`),
  };
  writeFileSync(dead.partial, randomBytes(300_000));
  writeFileSync(dead.legacy, randomBytes(1000));
  mkdirSync(join(dead.staging, 'tree'), { recursive: true });
  writeFileSync(join(dead.staging, 'tree', 'x'), 'x');
  mkdirSync(dead.restore);
  // A live writer's files (pid 1 always runs): never litter.
  const live = join(sdir, '.20260103T000000Z-cdefab-1.tar.gz.tmp');
  const liveDir = join(sdir, '.staging-1-0badf00d');
  writeFileSync(live, 'busy');
  mkdirSync(liveDir);
  return { dead, live: [live, liveDir] };
}

describe('snapshot litter', () => {
  it('lists only what a process that is gone left', async () => {
    const { dead } = seed();
    const l = await findSnapshotLitter(join(t.home, 'snapshots'));
    expect(l.map((x) => x.path).sort()).toEqual(Object.values(dead).sort());
    expect(l.find((x) => x.path === dead.partial)!.bytes).toBe(300_000);
  });

  it('doctor names it, with gc as the fix', () => {
    const checks = stateChecks({
      registry: { ok: true, path: '/r', sandboxes: [] },
      openshell: { ok: true, sandboxes: [] },
      gateway: { mode: 'none', containerName: 'gw', engineAnswered: true },
      sandboxContainers: [],
      journals: [],
      blueprints: [],
      snapshotLitter: [{ path: '/h/snapshots/alpha/.x-1.tar.gz.tmp', bytes: 2048 }],
    });
    const c = checks.find((x) => x.id === 'state.snapshot-litter')!;
    expect(c.status).toBe('warn');
    expect(c.detail).toContain('.x-1.tar.gz.tmp');
    expect(c.fix).toContain('nemoclaw gc');
  });

  it('doctor run on a home with litter reports it', async () => {
    const { dead } = seed();
    const r = await runCli(['doctor'], {
      NEMOCLAW_HOME: t.home,
      NEMOCLAW_OPENSHELL_BIN: '/nonexistent/openshell',
      DOCKER_HOST: 'unix:///nonexistent.sock',
    });
    expect(r.stdout + r.stderr).toContain(dead.partial);
  });

  it('gc --dry-run lists it and removes nothing; gc removes it and keeps a live writer’s files', async () => {
    const { dead, live } = seed();
    const env = {
      NEMOCLAW_HOME: t.home,
      NEMOCLAW_TEST_RUN_ID: `litter-${randomBytes(4).toString('hex')}`,
    };
    const dry = await runCli(['gc', '--dry-run'], env);
    expect(dry.stdout).toContain(dead.partial);
    expect(dry.stdout).toContain(dead.staging);
    for (const p of Object.values(dead)) expect(existsSync(p)).toBe(true);
    await runCli(['gc'], env);
    for (const p of Object.values(dead)) expect(existsSync(p), p).toBe(false);
    for (const p of live) expect(existsSync(p), p).toBe(true);
  });
});
