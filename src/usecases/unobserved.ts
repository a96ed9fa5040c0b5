/**
 * Observation that does not swallow errors: a read that fails becomes a typed warning
 * (core/unobserved.ts) that is shown and logged, and the caller gets the fallback it chose.
 */
import type { Context } from '../context.ts';
import { errorMessage } from '../core/errors.ts';
import { unobservedText, type Unobserved } from '../core/unobserved.ts';

type Io = Pick<Context, 'ui' | 'log'>;

/** Shows the warning on stderr and logs it. */
export function warnUnobserved(io: Io, u: Unobserved): void {
  io.ui.warn(unobservedText(u));
  io.log.warn({ unobserved: u.id, reason: u.reason }, `could not ${u.what}`);
}

/** Awaits `p`; on failure warns (shown and logged) and returns `fallback`. */
export async function orWarn<T>(
  io: Io,
  u: Omit<Unobserved, 'reason'>,
  p: Promise<T>,
  fallback: T,
): Promise<T> {
  try {
    return await p;
  } catch (e) {
    warnUnobserved(io, { ...u, reason: errorMessage(e) });
    return fallback;
  }
}

/** Awaits `p`; on failure records the warning in `into` (for a report that shows it), logs it
 * and returns `fallback`. */
export async function orRecord<T>(
  io: Pick<Context, 'log'>,
  into: Unobserved[],
  u: Omit<Unobserved, 'reason'>,
  p: Promise<T>,
  fallback: T,
): Promise<T> {
  try {
    return await p;
  } catch (e) {
    const full = { ...u, reason: errorMessage(e) };
    into.push(full);
    io.log.warn({ unobserved: full.id, reason: full.reason }, `could not ${full.what}`);
    return fallback;
  }
}

/** A write or an undo that failed on a failure path (a rollback, a session or journal record):
 * shown and logged, so the user knows what state was left behind. */
export function warnLost(io: Io, u: Omit<Unobserved, 'reason'>, error: unknown): void {
  const full = { ...u, reason: errorMessage(error) };
  io.ui.warn(unobservedText(full));
  io.log.warn({ lost: full.id, reason: full.reason }, `could not ${full.what}`);
}
