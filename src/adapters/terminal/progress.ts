/**
 * Step progress on stderr: `[n/N] Title` with a spinner on a terminal, plain lines otherwise
 * (CI logs stay readable). Sub-lines report what a step did.
 */
import type { Ui } from './ui.ts';

export interface Progress {
  start(n: number, total: number, title: string): void;
  detail(text: string): void;
  done(text?: string): void;
  skip(text: string): void;
  fail(text: string): void;
  /** Stops the spinner (a prompt is about to take the line); the next line prints plainly. */
  pause(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function createProgress(
  ui: Ui,
  stderr: { write(s: string): unknown; isTTY?: boolean },
): Progress {
  const tty = Boolean(stderr.isTTY);
  let timer: ReturnType<typeof setInterval> | undefined;
  let label = '';
  const stop = () => {
    if (timer) {
      clearInterval(timer);
      timer = undefined;
      stderr.write('\r\u001b[2K');
    }
  };
  return {
    start(n, total, title) {
      stop();
      label = `[${n}/${total}] ${title}`;
      if (tty) {
        let i = 0;
        stderr.write(`${FRAMES[0]} ${label}`);
        timer = setInterval(() => stderr.write(`\r${FRAMES[++i % FRAMES.length]} ${label}`), 100);
        timer.unref?.();
      } else {
        ui.info(label);
      }
    },
    detail(text) {
      if (tty && timer) {
        stderr.write('\r\u001b[2K');
        ui.info(`  ${text}`);
        stderr.write(`${FRAMES[0]} ${label}`);
      } else {
        ui.info(`  ${text}`);
      }
    },
    done(text) {
      stop();
      if (tty) ui.info(`${ui.style.green('✓')} ${label}${text ? ui.style.dim(` — ${text}`) : ''}`);
      else if (text) ui.info(`  ✓ ${text}`);
    },
    skip(text) {
      stop();
      if (tty) ui.info(`${ui.style.dim('↷')} ${label} ${ui.style.dim(`— ${text}`)}`);
      else ui.info(`  ↷ ${text}`);
    },
    pause() {
      stop();
    },
    fail(text) {
      stop();
      if (tty) ui.info(`${ui.style.red('✗')} ${label}`);
      ui.error(`  ✗ ${text}`);
    },
  };
}
