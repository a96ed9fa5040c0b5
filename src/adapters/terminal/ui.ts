/**
 * The three output channels (house style 8): stdout for results, stderr for progress and warnings,
 * the log for everything. Everything written here is redacted first.
 */
import { redact, redactValue } from '../../core/redact.ts';

export interface Writable {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface Ui {
  /** A result line on stdout. */
  out(text: string): void;
  /** One JSON document on stdout. */
  json(value: unknown): void;
  /** Progress, hints and warnings on stderr (silenced by --quiet, except warnings and errors). */
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  readonly color: boolean;
  readonly stdoutIsTTY: boolean;
  readonly stdinIsTTY: boolean;
  style: Style;
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

export interface UiOptions {
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY: boolean;
  quiet?: boolean;
  /** A function is asked on first use: finding out whether a stream is a TTY builds the stream. */
  color?: boolean | (() => boolean);
}

function styler(on: () => boolean): Style {
  const wrap = (open: number, close: number) => (s: string) =>
    on() ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

export function createUi(o: UiOptions): Ui {
  let on: boolean | undefined;
  const color = () => (on ??= typeof o.color === 'function' ? o.color() : (o.color ?? false));
  const style = styler(color);
  const line = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);
  return {
    out: (t) => void o.stdout.write(line(redact(t))),
    json: (v) => void o.stdout.write(`${JSON.stringify(redactValue(v), null, 2)}\n`),
    info: (t) => {
      if (!o.quiet) o.stderr.write(line(redact(t)));
    },
    warn: (t) => void o.stderr.write(line(`${style.yellow('Warning:')} ${redact(t)}`)),
    error: (t) => void o.stderr.write(line(redact(t))),
    get color() {
      return color();
    },
    get stdoutIsTTY() {
      return Boolean(o.stdout.isTTY);
    },
    get stdinIsTTY() {
      return o.stdinIsTTY;
    },
    style,
  };
}

/** Colour is on for a TTY unless NO_COLOR or --no-color says otherwise. */
export function wantColor(
  env: Record<string, string | undefined>,
  stream: Writable,
  flag?: boolean,
): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}
