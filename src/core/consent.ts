/**
 * The one consent service (house style 6, issue 17 item 2, issue 18 item 6). Every command that
 * asks before it changes something goes through `ask`:
 * - `--yes` or NEMOCLAW_YES=1 answer yes;
 * - NEMOCLAW_NON_INTERACTIVE=1 answers yes for ordinary changes, but never for a destructive one
 *   (uninstall, destroy, restore, anything that deletes): non-interactive is not consent;
 * - otherwise a terminal is asked, and without one the command stops with a usage error (exit 2)
 *   before it changes anything;
 * - Ctrl-C at the question is a cancellation (exit 130), not a "no".
 * `--dry-run` never asks and never refuses: it changes nothing.
 */
import { NemoclawError, UsageError } from './errors.ts';

export type ConsentMode = 'proceed' | 'ask' | 'refuse';

export function isTruthy(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
}

export function consentMode(o: {
  yes?: boolean;
  destructive?: boolean;
  env: Record<string, string | undefined>;
  stdinIsTTY: boolean;
}): ConsentMode {
  if (o.yes || isTruthy(o.env.NEMOCLAW_YES)) return 'proceed';
  const nonInteractive = isTruthy(o.env.NEMOCLAW_NON_INTERACTIVE);
  if (nonInteractive && !o.destructive) return 'proceed';
  if (nonInteractive) return 'refuse';
  return o.stdinIsTTY ? 'ask' : 'refuse';
}

export interface ConsentOptions {
  yes?: boolean;
  dryRun?: boolean;
  destructive?: boolean;
  env: Record<string, string | undefined>;
  stdinIsTTY: boolean;
  /** Asks the question on the terminal; throws on Ctrl-C (an error named ExitPromptError). */
  confirm: (question: string) => Promise<boolean>;
  /** The command to run again with --yes, for the refusal's hint. */
  retry: string;
}

/**
 * Whether the command may go ahead. Refusal (nobody to ask) throws a UsageError; Ctrl-C throws a
 * canceled error; "no" returns false.
 */
export async function ask(question: string, o: ConsentOptions): Promise<boolean> {
  if (o.dryRun) return true;
  const mode = consentMode(o);
  if (mode === 'proceed') return true;
  if (mode === 'refuse') throw refusal(question, o);
  try {
    return await o.confirm(question);
  } catch (e) {
    if ((e as Error)?.name === 'ExitPromptError' || (e as NemoclawError)?.kind === 'canceled') {
      throw new NemoclawError('canceled', 'Canceled at the prompt; nothing was changed.');
    }
    throw e;
  }
}

/** The refusal `ask` throws, for callers that must refuse before observing anything. */
export function refusal(question: string, o: Omit<ConsentOptions, 'confirm'>): UsageError {
  const what = question.replace(/\?$/, '');
  const message = o.destructive
    ? `${what}: this deletes things and needs an explicit --yes (or NEMOCLAW_YES=1), even when NEMOCLAW_NON_INTERACTIVE=1.`
    : `${what}: this needs a confirmation, but no terminal is attached.`;
  return new UsageError(message, {
    hint: `Check what it does with --dry-run where the command has one, then run: ${o.retry} --yes`,
  });
}

/** Refuse early (before any observation) when `ask` would refuse. */
export function assertCanAsk(question: string, o: Omit<ConsentOptions, 'confirm'>): void {
  if (!o.dryRun && consentMode(o) === 'refuse') throw refusal(question, o);
}
