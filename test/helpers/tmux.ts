/**
 * A real terminal for interactive tests: a detached tmux session of a fixed size running one
 * command with a given environment, driven with send-keys and read with capture-pane. Each session
 * has its own tmux server (a private socket), so tests never touch a user's tmux and `kill` removes
 * everything. The command's exit code is printed as `[exit N]` and the pane stays open to read it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface TmuxSession {
  name: string;
  /** Sends keys as tmux names them ("Enter", "Down", "C-c") or literal text with `{ literal: true }`. */
  sendKeys(keys: string[] | string, o?: { literal?: boolean }): Promise<void>;
  /** Types text literally, then Enter. */
  type(text: string): Promise<void>;
  /** The visible screen plus its scrollback, as plain text. */
  capture(): Promise<string>;
  /** Polls the screen until it contains `text` (or matches it); returns the screen. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Waits for the command to end; returns its exit code. */
  exitCode(timeoutMs?: number): Promise<number>;
  kill(): Promise<void>;
}

export function tmuxAvailable(): Promise<boolean> {
  return new Promise((r) => execFile('tmux', ['-V'], (e) => r(!e)));
}

function sh(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export async function startTmux(
  argv: string[],
  o: { env: Record<string, string>; cols?: number; rows?: number; prefix?: string },
): Promise<TmuxSession> {
  const dir = mkdtempSync(join(tmpdir(), 'nc-tmux-'));
  const socket = join(dir, 'sock');
  const name = `${o.prefix ?? 'nc'}-${randomBytes(4).toString('hex')}`;
  // The environment goes in a script, not on tmux's command line: tmux would keep its own.
  const script = join(dir, 'run.sh');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      ...Object.entries(o.env)
        .filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
        .map(([k, v]) => `export ${k}=${sh(v)}`),
      `${argv.map(sh).join(' ')}`,
      'echo "[exit $?]"',
      'sleep 3600',
      '',
    ].join('\n'),
    { mode: 0o700 },
  );
  const tmux = (args: string[]) =>
    new Promise<string>((resolve, reject) =>
      // The private server gets exactly this environment, so nothing of the test runner's (CI=…)
      // leaks into the session.
      execFile('tmux', ['-S', socket, ...args], { env: o.env }, (e, stdout, stderr) =>
        e ? reject(new Error(`tmux ${args[0]}: ${stderr || e.message}`)) : resolve(stdout),
      ),
    );
  await tmux([
    '-f',
    '/dev/null',
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    String(o.cols ?? 120),
    '-y',
    String(o.rows ?? 40),
    `/bin/sh ${script}`,
  ]);
  await tmux(['set-option', '-t', name, 'history-limit', '5000']);

  const capture = async () =>
    (await tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', name])).replace(/\s+$/, '');
  const waitFor = async (text: string | RegExp, timeoutMs = 20_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const screen = await capture();
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
      if (Date.now() > until) {
        throw new Error(
          `tmux: "${String(text)}" did not appear in ${timeoutMs} ms. Screen:\n${screen}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    name,
    async sendKeys(keys, so = {}) {
      const list = Array.isArray(keys) ? keys : [keys];
      await tmux(['send-keys', '-t', name, ...(so.literal ? ['-l'] : []), ...list]);
    },
    async type(text) {
      await tmux(['send-keys', '-t', name, '-l', text]);
      await tmux(['send-keys', '-t', name, 'Enter']);
    },
    capture,
    waitFor,
    async exitCode(timeoutMs = 120_000) {
      const screen = await waitFor(/\[exit (\d+)\]/, timeoutMs);
      return Number(/\[exit (\d+)\]/.exec(screen)![1]);
    },
    async kill() {
      await tmux(['kill-server']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
