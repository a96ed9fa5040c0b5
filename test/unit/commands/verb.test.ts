/** defineVerb: declarations become commander commands with one action body. */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CommandEnv } from '../../../src/commands/types.ts';
import {
  attachAll,
  defineGroup,
  defineVerb,
  helpRows,
  type Invocation,
} from '../../../src/commands/verb.ts';

function harness(sandboxName?: string) {
  const calls: string[] = [];
  let exitCode: number | undefined;
  const env: CommandEnv = {
    ctx: () => {
      calls.push('ctx');
      return { marker: 'ctx' } as never;
    },
    world: () => {
      calls.push('world');
      return { marker: 'world' } as never;
    },
    sandboxName,
    setExitCode: (c) => {
      exitCode = c;
    },
  };
  const program = new Command('t').exitOverride().configureOutput({
    writeOut: () => {},
    writeErr: () => {},
  });
  return { env, program, calls, exitCode: () => exitCode };
}

describe('defineVerb', () => {
  it('passes arguments, typed options, the sandbox, the context and the world to run', async () => {
    let seen: Invocation<{ tail?: string; yes?: boolean; method: string }, [string]> | undefined;
    const verb = defineVerb({
      name: 'go',
      description: 'go somewhere',
      args: [{ name: '<where>', description: 'the place' }],
      options: [
        { flags: '-n, --tail <n>', description: 'lines' },
        { flags: '-y, --yes', description: 'no question' },
        { flags: '--method <m>', description: 'how', default: 'GET' },
      ],
      load: async () => ({ module: true }),
      run: (m, v: Invocation<{ tail?: string; yes?: boolean; method: string }, [string]>) => {
        expect(m).toEqual({ module: true });
        seen = v;
        return 7;
      },
    });
    const h = harness('alpha');
    attachAll(h.program, h.env, [verb]);
    await h.program.parseAsync(['go', 'home', '-n', '5', '-y'], { from: 'user' });
    expect(seen?.args).toEqual(['home']);
    expect(seen?.o).toEqual({ tail: '5', yes: true, method: 'GET' });
    expect(seen?.sandbox).toBe('alpha');
    expect(seen?.ctx).toEqual({ marker: 'ctx' });
    expect(seen?.world).toEqual({ marker: 'world' });
    expect(h.exitCode()).toBe(7);
  });

  it('refuses a missing required option and a value outside the choices before running', async () => {
    let ran = false;
    const verb = defineVerb({
      name: 'set',
      description: 'set',
      options: [
        { flags: '--model <m>', description: 'the model', required: true },
        { flags: '--agent <a>', description: 'the agent', choices: ['openclaw', 'hermes'] },
      ],
      load: async () => ({}),
      run: () => {
        ran = true;
      },
    });
    for (const argv of [['set'], ['set', '--model', 'x', '--agent', 'other']]) {
      const h = harness();
      attachAll(h.program, h.env, [verb]);
      await expect(h.program.parseAsync(argv, { from: 'user' })).rejects.toThrow();
      expect(h.calls).toEqual([]);
    }
    expect(ran).toBe(false);
  });

  it('groups hold verbs; the help rows come from the declarations', async () => {
    const leaf = defineVerb({
      name: 'list',
      description: 'list them',
      load: async () => ({}),
      run: () => undefined,
    });
    const group = defineGroup({
      name: 'snapshot',
      description: 'snapshots',
      help: { usage: 'snapshot <list>', summary: 'snapshots' },
      verbs: [leaf],
    });
    const plain = defineVerb({
      name: 'x',
      description: 'x',
      load: async () => ({}),
      run: () => undefined,
    });
    expect(helpRows([group, plain])).toEqual([{ usage: 'snapshot <list>', summary: 'snapshots' }]);
    const h = harness('alpha');
    attachAll(h.program, h.env, [group]);
    await h.program.parseAsync(['snapshot', 'list'], { from: 'user' });
    expect(h.calls).toEqual(['ctx', 'world']);
    expect(h.exitCode()).toBeUndefined();
  });
});
