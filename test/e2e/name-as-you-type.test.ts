/**
 * The sandbox name is checked as it is typed (issue 19), against OpenShell's rules (at most 19
 * characters, a DNS-1123 label): the wizard's own prompt on a real terminal (tmux).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTmux, tmuxAvailable } from '../helpers/tmux.ts';

const skip = !(await tmuxAvailable());

describe.skipIf(skip)('the sandbox name, checked as you type', () => {
  it('shows the problem while typing, clears it once the name is valid, and refuses it on Enter', async () => {
    const script = join(import.meta.dirname, '../fixtures/name-prompt.ts');
    const t = await startTmux([process.execPath, script], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', TERM: 'xterm' },
      cols: 200,
    });
    try {
      await t.waitFor('Sandbox name');
      await t.sendKeys('a-name-that-is-too-long', { literal: true });
      // Before Enter: the 23 characters are flagged with OpenShell's limit.
      await t.waitFor(
        /a-name-that-is-too-long\s+← it is 23 characters long; OpenShell allows at most 19/,
      );
      for (let i = 0; i < 5; i++) await t.sendKeys('BSpace');
      const screen = await t.waitFor(/a-name-that-is-too\s*$/m);
      expect(screen).not.toContain('←');
      await t.sendKeys('_', { literal: true });
      await t.waitFor(/a-name-that-is-too_\s+← it must start with a lowercase letter/);
      await t.sendKeys('BSpace');
      await t.sendKeys('Enter');
      await t.waitFor('NAME=a-name-that-is-too');
      expect(await t.exitCode()).toBe(0);
    } finally {
      await t.kill();
    }
  });
});
