/**
 * Whether a mutating command may go ahead, must ask, or must refuse (house style 6): `--yes` or
 * NEMOCLAW_NON_INTERACTIVE=1 answer the question; without a terminal to ask on, the command stops
 * with a usage error instead of hanging on a prompt nobody sees.
 */
export type ConsentMode = 'proceed' | 'ask' | 'refuse';

export function isTruthy(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
}

export function consentMode(o: {
  yes?: boolean;
  env: Record<string, string | undefined>;
  stdinIsTTY: boolean;
}): ConsentMode {
  if (o.yes || isTruthy(o.env.NEMOCLAW_NON_INTERACTIVE)) return 'proceed';
  return o.stdinIsTTY ? 'ask' : 'refuse';
}
