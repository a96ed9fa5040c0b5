/**
 * The log file: pino JSON lines in NEMOCLAW_HOME/logs/nemoclaw-YYYY-MM-DD.jsonl, seven days kept.
 * Every line is redacted before it is written. pino loads only when something is logged.
 */
import {
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  openSync,
  writeSync,
  closeSync,
  chmodSync,
} from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Logger as PinoLogger, default as Pino } from 'pino';
import { redact } from '../core/redact.ts';

export interface Logger {
  debug(obj: Record<string, unknown> | string, msg?: string): void;
  info(obj: Record<string, unknown> | string, msg?: string): void;
  warn(obj: Record<string, unknown> | string, msg?: string): void;
  error(obj: Record<string, unknown> | string, msg?: string): void;
  flush(): void;
}

export const LOG_RETENTION_DAYS = 7;

import { logFileName } from '../core/log-file-name.ts';

export { logFileName };

/** Deletes log files older than the retention window. */
export function pruneLogs(dir: string, now: Date, days = LOG_RETENTION_DAYS): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  // Today and the six days before it are kept.
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const cutoff = today - (days - 1) * 86_400_000;
  for (const n of names) {
    const m = /^nemoclaw-(\d{4}-\d{2}-\d{2})\.jsonl$/.exec(n);
    if (!m) continue;
    const day = Date.parse(`${m[1]}T00:00:00Z`);
    if (day < cutoff) {
      rmSync(join(dir, n), { force: true });
      removed.push(n);
    }
  }
  return removed;
}

/** A synchronous, redacting destination; lines are small and rare, and sync writes survive exit(). */
class RedactingFile {
  #fd: number;
  constructor(path: string) {
    this.#fd = openSync(path, 'a', 0o600);
    try {
      if ((statSync(path).mode & 0o777) !== 0o600) chmodSync(path, 0o600);
    } catch {
      // best effort
    }
  }
  write(line: string): boolean {
    writeSync(this.#fd, redact(line));
    return true;
  }
  close(): void {
    closeSync(this.#fd);
  }
}

export interface LoggerOptions {
  dir: string;
  now?: () => Date;
  level?: string;
  /** Also mirror to stderr (--verbose). */
  mirror?: (line: string) => void;
  command?: string;
}

export function createLazyLogger(o: LoggerOptions): Logger {
  let real: PinoLogger | undefined;
  let file: RedactingFile | undefined;
  const get = (): PinoLogger | undefined => {
    if (real) return real;
    try {
      mkdirSync(o.dir, { recursive: true, mode: 0o700 });
      const now = (o.now ?? (() => new Date()))();
      pruneLogs(o.dir, now);
      file = new RedactingFile(join(o.dir, logFileName(now)));
      const dest = file;
      const mirror = o.mirror;
      // pino is loaded synchronously through createRequire so the logger can stay sync.
      const pino = loadPino();
      real = pino(
        {
          level: o.level ?? 'debug',
          base: { pid: process.pid, cmd: o.command },
          timestamp: pino.stdTimeFunctions.isoTime,
        },
        {
          write: (l: string) => {
            dest.write(l);
            mirror?.(redact(l));
          },
        },
      );
    } catch {
      real = undefined; // logging must never break a command
    }
    return real;
  };
  const call =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (obj: Record<string, unknown> | string, msg?: string) => {
      const l = get();
      if (!l) return;
      if (typeof obj === 'string') l[level](obj);
      else l[level](obj, msg);
    };
  return {
    debug: call('debug'),
    info: call('info'),
    warn: call('warn'),
    error: call('error'),
    flush: () => file?.close(),
  };
}

function loadPino(): typeof Pino {
  const require = createRequire(import.meta.url);
  return require('pino') as typeof Pino;
}
