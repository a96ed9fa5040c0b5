/**
 * destroy runs its plan through the one executor: a best-effort step that fails (the Engine is
 * gone, the forward will not stop) is a printed warning and the sandbox still goes; a required
 * step that fails stops the plan, is named, and the registry keeps the sandbox.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { NemoclawError } from '../../../src/core/errors.ts';
import type { SandboxEntry } from '../../../src/core/registry/schema.ts';
import { destroySandbox } from '../../../src/usecases/destroy.ts';
import type { OpsWorld } from '../../../src/world.ts';
import { realAdapters } from '../../helpers/adapter-world.ts';
import { sandboxEntry, useTestHome } from '../../helpers/context.ts';

let out: string[];
let err: string[];
let deleted: string[];

const entry: SandboxEntry = sandboxEntry({ image: 'nemoclaw-sandbox-test:none' });

const t = useTestHome({ prefix: 'nemoclaw-destroy-', sandboxes: [entry] });
const ctx = () => t.context();

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

beforeEach(() => {
  out = t.out;
  err = t.err;
  deleted = [];
});

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
