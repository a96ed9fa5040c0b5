/**
 * Step progress on stderr: `[n/N] Title` with a spinner on a terminal, plain lines otherwise
 * (CI logs stay readable). Sub-lines report what a step did; `status` is a transient text shown on
 * the spinner's own line (an image build's step and bytes), never a new line. Each finished step
 * says how long it took.
 */
import type { Ui } from './ui.ts';

export interface Progress {
  start(n: number, total: number, title: string): void;
  detail(text: string): void;
  /** Replaces the spinner line's trailing text (terminal only; nothing is printed otherwise). */
  status(text: string): void;
  done(text?: string): void;
  skip(text: string): void;
  fail(text: string): void;
  /** Stops the spinner (a prompt is about to take the line); the next line prints plainly. */
  pause(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** "0.4s", "12s", "2m 05s". */
import { formatDuration } from '../../core/durations.ts';

export { formatDuration };

export function createProgress(
  ui: Ui,
  stderr: { write(s: string): unknown; isTTY?: boolean; columns?: number },
  now: () => number = () => Date.now(),
): Progress {
  const tty = Boolean(stderr.isTTY);
  let timer: ReturnType<typeof setInterval> | undefined;
  let label = '';
  let extra = '';
  let frame = 0;
  let startedAt = 0;
  const line = () => {
    const width = (stderr.columns ?? 100) - 1;
    const text = `${FRAMES[frame % FRAMES.length]} ${label}${extra ? ` — ${extra}` : ''}`;
    return `\r\u001b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`;
  };
  const stop = () => {
    if (timer) {
      clearInterval(timer);
      timer = undefined;
      stderr.write('\r\u001b[2K');
    }
  };
  const took = () => formatDuration(now() - startedAt);
  return {
    start(n, total, title) {
      stop();
      label = `[${n}/${total}] ${title}`;
      extra = '';
      startedAt = now();
      if (tty) {
        frame = 0;
        stderr.write(line());
        timer = setInterval(() => {
          frame++;
          stderr.write(line());
        }, 100);
        timer.unref?.();
      } else {
        ui.info(label);
      }
    },
    detail(text) {
      if (tty && timer) {
        stderr.write('\r\u001b[2K');
        ui.info(`  ${text}`);
        stderr.write(line());
      } else {
        ui.info(`  ${text}`);
      }
    },
    status(text) {
      extra = text;
      if (tty && timer) stderr.write(line());
    },
    done(text) {
      stop();
      const t = took();
      if (tty)
        ui.info(
          `${ui.style.green('✓')} ${label}${text ? ui.style.dim(` — ${text}`) : ''} ${ui.style.dim(`(${t})`)}`,
        );
      else ui.info(`  ✓ ${text ? `${text} ` : ''}(${t})`);
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
      if (tty) ui.info(`${ui.style.red('✗')} ${label} ${ui.style.dim(`(${took()})`)}`);
      ui.error(`  ✗ ${text}`);
    },
  };
}
