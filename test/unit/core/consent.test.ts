/**
 * Issue 18 item 6 / issue 17 item 2: one consent service. Non-interactive is not consent for a
 * destructive command: without --yes or NEMOCLAW_YES=1 it exits 2 and changes nothing.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { ask, consentMode } from '../../../src/core/consent.ts';
import { sandboxEntry, useTestHome } from '../../helpers/context.ts';

const NI = { NEMOCLAW_NON_INTERACTIVE: '1' };

describe('consentMode', () => {
  const m = (o: Partial<Parameters<typeof consentMode>[0]>) =>
    consentMode({ env: {}, stdinIsTTY: false, ...o });
  it('non-interactive answers ordinary questions but never destructive ones', () => {
    expect(m({ env: NI })).toBe('proceed');
    expect(m({ env: NI, destructive: true })).toBe('refuse');
    expect(m({ env: NI, destructive: true, stdinIsTTY: true })).toBe('refuse');
  });
  it('--yes and NEMOCLAW_YES=1 answer any question', () => {
    expect(m({ yes: true, destructive: true, env: NI })).toBe('proceed');
    expect(m({ env: { NEMOCLAW_YES: '1' }, destructive: true })).toBe('proceed');
    expect(m({ env: { NEMOCLAW_YES: '0' }, destructive: true })).toBe('refuse');
  });
  it('a terminal is asked, no terminal refuses', () => {
    expect(m({ destructive: true, stdinIsTTY: true })).toBe('ask');
    expect(m({ stdinIsTTY: false })).toBe('refuse');
  });
});

describe('ask', () => {
  const base = { env: {}, stdinIsTTY: true, retry: 'nemoclaw x destroy' };
  it('Ctrl-C at the question is a cancellation (exit 130), not a no', async () => {
    const err = Object.assign(new Error('x'), { name: 'ExitPromptError' });
    await expect(ask('Go?', { ...base, confirm: () => Promise.reject(err) })).rejects.toMatchObject(
      { kind: 'canceled', exitCode: 130 },
    );
  });
  it('returns the answer, and dry runs never ask', async () => {
    expect(await ask('Go?', { ...base, confirm: async () => false })).toBe(false);
    expect(await ask('Go?', { ...base, confirm: async () => true })).toBe(true);
    let asked = false;
    const r = await ask('Go?', {
      ...base,
      stdinIsTTY: false,
      destructive: true,
      dryRun: true,
      confirm: async () => ((asked = true), false),
    });
    expect(r).toBe(true);
    expect(asked).toBe(false);
  });
  it('refuses with a usage error naming --yes', async () => {
    await expect(
      ask('Delete it?', {
        ...base,
        stdinIsTTY: false,
        destructive: true,
        confirm: async () => true,
      }),
    ).rejects.toMatchObject({ kind: 'usage', exitCode: 2 });
  });
});

describe('destructive commands under NEMOCLAW_NON_INTERACTIVE=1 without --yes', () => {
  const t = useTestHome({ prefix: 'nc-consent-', sandboxes: [sandboxEntry()] });

  it.each([
    [['uninstall'], 'nemoclaw uninstall --yes'],
    [['alpha', 'destroy'], 'nemoclaw alpha destroy --yes'],
    [['alpha', 'snapshot', 'restore'], 'nemoclaw alpha snapshot restore latest --yes'],
    [['alpha', 'rebuild'], 'nemoclaw alpha rebuild --yes'],
    [['alpha', 'snapshot', 'delete', 'v1'], 'nemoclaw alpha snapshot delete v1 --yes'],
  ])('%j exits 2, names --yes and changes nothing', async (argv, hint) => {
    const reg = join(t.home, 'sandboxes.json');
    const before = readFileSync(reg, 'utf8');
    const r = await runCli(argv, { NEMOCLAW_HOME: t.home, ...NI });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(hint);
    expect(r.stderr).toContain('NEMOCLAW_YES=1');
    expect(readFileSync(reg, 'utf8')).toBe(before);
    expect(readdirSync(t.home).filter((f) => f !== 'logs' && !f.startsWith('.'))).toEqual([
      'sandboxes.json',
    ]);
  });
});
