/**
 * destroy runs its plan through the one executor: a best-effort step that fails (the Engine is
 * gone, the forward will not stop) is a printed warning and the sandbox still goes; a required
 * step that fails stops the plan, is named, and the registry keeps the sandbox.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statePaths } from '../../../src/adapters/state/paths.ts';
import { registryStore } from '../../../src/adapters/state/registry-store.ts';
import { createUi } from '../../../src/adapters/terminal/ui.ts';
import type { Context } from '../../../src/context.ts';
import { NemoclawError } from '../../../src/core/errors.ts';
import {
  emptyRegistry,
  withSandbox,
  type SandboxEntry,
} from '../../../src/core/registry/schema.ts';
import { destroySandbox } from '../../../src/usecases/destroy.ts';
import type { OpsWorld } from '../../../src/world.ts';
import { realAdapters } from '../../helpers/adapter-world.ts';
import { sandboxEntry } from '../../helpers/context.ts';

let home: string;
let out: string[];
let err: string[];
let deleted: string[];

const entry: SandboxEntry = sandboxEntry({ image: 'nemoclaw-sandbox-test:none' });

function ctx(): Context {
  const registry = registryStore(join(home, 'sandboxes.json'));
  return {
    env: {},
    cwd: home,
    paths: statePaths(home),
    packageRoot: home,
    ui: createUi({
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      stdinIsTTY: false,
    }),
    log: { debug() {}, info() {}, warn() {}, error() {}, flush() {} },
    defaultAgent: 'openclaw',
    nonInteractive: true,
    now: () => new Date('2026-02-02T00:00:00.000Z'),
    registry: () => registry,
  } as unknown as Context;
}

function deps(f: { forward?: Error; delete?: Error }): OpsWorld {
  const client = {
    status: async () => ({ status: 'connected' }),
    sandboxGet: async (name: string) => ({ name, phase: 'Ready' }),
    forwardStop: async () => {
      if (f.forward) throw f.forward;
    },
    sandboxDelete: async (name: string) => {
      if (f.delete) throw f.delete;
      deleted.push(name);
    },
  };
  return {
    ...realAdapters(),
    openshell: async () => client,
    // The Docker Engine does not answer: the image removal can only fail.
    engine: async () => {
      throw new NemoclawError('unavailable', 'the Docker Engine did not answer');
    },
    confirm: async () => true,
  } as unknown as OpsWorld;
}

const registered = async () => Object.keys((await ctx().registry().read()).sandboxes);

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nemoclaw-destroy-'));
  out = [];
  err = [];
  deleted = [];
  await ctx()
    .registry()
    .update(() => withSandbox(emptyRegistry(), entry));
});
afterEach(() => rm(home, { recursive: true, force: true }));

describe('destroy through runPlan', () => {
  it('best-effort failures are printed as warnings, and the sandbox still goes', async () => {
    const d = deps({ forward: new Error('forward stop: exit 1') });
    expect(await destroySandbox(ctx(), d, { sandbox: 'alpha', yes: true })).toBe(0);
    expect(deleted).toEqual(['alpha']);
    expect(await registered()).toEqual([]);
    const e = err.join('');
    expect(e).toContain('openshell.forward.stop alpha:18789 failed (forward stop: exit 1)');
    expect(e).toContain(
      'docker.image.remove nemoclaw-sandbox-test:none failed (the Docker Engine did not answer)',
    );
    expect(out.join('')).toContain('Destroyed sandbox alpha.');
  });

  it('a required step that fails stops the plan, is named, and the sandbox stays registered', async () => {
    const boom = new NemoclawError('failed', 'sandbox delete: exit 1');
    await expect(
      destroySandbox(ctx(), deps({ delete: boom }), { sandbox: 'alpha', yes: true }),
    ).rejects.toBe(boom);
    expect(err.join('')).toContain('✗ openshell.sandbox.delete alpha failed.');
    expect(await registered()).toEqual(['alpha']);
  });
});
