/**
 * Routing `nemoclaw <name> <verb>`: the sandbox is found without building a context, so the global
 * flags (--quiet, --verbose, --no-color) reach the context the verb runs with, wherever they stand.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registryStore } from '../../src/adapters/state/registry-store.ts';
import type { Context } from '../../src/context.ts';
import { emptyRegistry, withSandbox } from '../../src/core/registry/schema.ts';
import { buildContext, createWorld, main, reportError, type MainIo } from '../../src/main.ts';
import { runProgram } from '../../src/program.ts';
import { sandboxEntry } from '../helpers/context.ts';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nemoclaw-program-'));
  await registryStore(join(home, 'sandboxes.json')).update(() =>
    withSandbox(emptyRegistry(), sandboxEntry({ createdAt: 'x', updatedAt: 'x' })),
  );
});
afterEach(async () => rm(home, { recursive: true, force: true }));

/** Runs the CLI in process on a terminal-like stderr; returns the context the verb ran with. */
async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: MainIo = {
    argv,
    env: { NEMOCLAW_HOME: home },
    cwd: home,
    stdout: { write: (s: string) => (stdout += s) },
    // A TTY, so colour would be on unless --no-color turns it off.
    stderr: { write: (s: string) => (stderr += s), isTTY: true },
    stdinIsTTY: false,
  };
  let ctx: Context | undefined;
  let code: number;
  try {
    code = await runProgram(io, (f) => (ctx = buildContext(io, f)), createWorld);
  } catch (e) {
    code = reportError(e, io, ctx);
  }
  return { code, ctx: ctx!, stdout: () => stdout, stderr: () => stderr };
}

describe('global flags reach a sandbox verb', () => {
  const verb = ['snapshot', 'list'];
  const placements = (flag: string) => [
    [[flag, 'alpha', ...verb]],
    [['alpha', flag, ...verb]],
    [['alpha', ...verb, flag]],
  ];

  it.each(placements('--quiet'))('%j: progress is silenced', async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(0);
    expect(r.stdout()).toMatch(/No snapshots of alpha/);
    r.ctx.ui.info('progress line');
    r.ctx.ui.warn('a warning');
    expect(r.stderr()).not.toContain('progress line');
    expect(r.stderr()).toContain('a warning');
  });

  it.each(placements('--verbose'))('%j: the log is mirrored on stderr', async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(0);
    r.ctx.log.info({ probe: 1 }, 'verbose probe');
    r.ctx.log.flush();
    expect(r.stderr()).toContain('verbose probe');
  });

  it.each(placements('--no-color'))('%j: colour is off', async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(0);
    expect(r.ctx.ui.color).toBe(false);
  });

  it('without the flags: progress shown, no log on stderr, colour on a TTY', async () => {
    const r = await run(['alpha', ...verb]);
    expect(r.code).toBe(0);
    r.ctx.ui.info('progress line');
    r.ctx.log.info({ probe: 1 }, 'verbose probe');
    r.ctx.log.flush();
    expect(r.stderr()).toContain('progress line');
    expect(r.stderr()).not.toContain('verbose probe');
    expect(r.ctx.ui.color).toBe(true);
  });
});

describe('an unregistered sandbox', () => {
  it('is one error with one exit code, whether routed or named by --sandbox', async () => {
    const out = (argv: string[]) => {
      let stderr = '';
      return main({
        argv,
        env: { NEMOCLAW_HOME: home, NO_COLOR: '1' },
        cwd: home,
        stdout: { write: () => true },
        stderr: { write: (s: string) => (stderr += s) },
        stdinIsTTY: false,
      }).then((code) => ({ code, stderr }));
    };
    const use = await out(['use', 'alpah']);
    expect(use.code).toBe(2);
    expect(use.stderr).toContain('Sandbox alpah is not registered.');
    expect(use.stderr).toContain('nemoclaw use alpha');
    const exp = await out(['config', 'export', 'beta']);
    expect(exp.code).toBe(2);
    expect(exp.stderr).toContain('Sandbox beta is not registered.');
  });
});
