/**
 * What nemoclaw tried to observe and could not: a typed warning instead of a silent fallback. A
 * failed read must not look like an empty answer (no forwards, no gateways, no drift), so each
 * one names what was not observed, why, and what that leaves unknown. Pure: the use cases show
 * it (ui.warn, or a check marked unknown) and log it.
 */
import type { CheckResult } from './preflight.ts';

export interface Unobserved {
  /** Stable id, e.g. `openshell.forward-list`; a doctor check gets `unknown.<id>`. */
  id: string;
  /** What could not be observed, as the object of "could not": `list OpenShell's port forwards`. */
  what: string;
  /** Why: the error's message (redacted where it is printed). */
  reason: string;
  /** What is therefore unknown or assumed. */
  consequence: string;
}

/** One line: `Could not <what> (<reason>); <consequence>.` */
export function unobservedText(u: Unobserved): string {
  const consequence = u.consequence.replace(/\.$/, '');
  return `Could not ${u.what} (${u.reason.trim() || 'no reason given'}); ${consequence}.`;
}

/** The doctor form: a warning check whose detail starts with "unknown:". */
export function unobservedCheck(u: Unobserved): CheckResult {
  return {
    id: `unknown.${u.id}`,
    title: `Could not ${u.what}`,
    status: 'warn',
    detail: `unknown: ${u.reason.trim() || 'no reason given'}; ${u.consequence.replace(/\.$/, '')}`,
  };
}
