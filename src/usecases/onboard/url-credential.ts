/**
 * An endpoint URL may carry a credential (`https://user:secret@host/v1?api_key=…`). State files
 * keep it only redacted (issue 18 item 5); `--resume` takes the real URL from the command line or
 * NEMOCLAW_ENDPOINT_URL again, and refuses when it is not given or names another endpoint.
 */
import type { Context } from '../../context.ts';
import { UsageError } from '../../core/errors.ts';
import type { Session } from '../../core/onboard/session.ts';
import { REDACTED, redactUrl } from '../../core/redact.ts';

export function sessionForDisk(s: Session): Session {
  const url = s.intent.endpointUrl;
  return url ? { ...s, intent: { ...s.intent, endpointUrl: redactUrl(url) } } : s;
}

export function restoreEndpointCredential(
  ctx: Context,
  given: string | undefined,
  session: Session,
): void {
  const stored = session.intent.endpointUrl;
  if (!stored?.includes(REDACTED)) return;
  const real = (given ?? ctx.env.NEMOCLAW_ENDPOINT_URL)?.trim();
  if (real && redactUrl(real) === stored) {
    session.intent.endpointUrl = real;
    return;
  }
  throw new UsageError(
    `The endpoint URL of the unfinished onboarding (${stored}) carried a credential, which is never stored${real ? ', and the URL given now is another endpoint' : ''}.`,
    {
      hint: 'Give the same URL again: NEMOCLAW_ENDPOINT_URL=… nemoclaw onboard --resume (nothing was changed).',
    },
  );
}
