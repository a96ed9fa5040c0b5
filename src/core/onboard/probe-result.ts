/**
 * What a provider validation request means (product.md §9): each failure gets its own message,
 * fix and the wizard's next move. Pure: the adapter reports what happened on the wire.
 */

export type ProbeOutcome =
  | { kind: 'http'; status: number; body: string }
  | { kind: 'dns'; host: string }
  | { kind: 'refused'; url: string }
  | { kind: 'timeout'; url: string; ms: number }
  | { kind: 'network'; url: string; message: string };

/** What the wizard offers next: re-enter the key, pick another provider, change the model, retry. */
export type NextMove = 'key' | 'provider' | 'model' | 'endpoint' | 'retry';

export interface ProbeVerdict {
  ok: boolean;
  /** Short cause, for the step's error line. */
  reason: string;
  fix?: string;
  next?: NextMove;
  /** Reachable and authorised, with a caveat worth printing. */
  warning?: string;
}

export function judgeProbe(
  o: ProbeOutcome,
  ctx: { provider: string; model: string; keyEnv?: string; url: string },
): ProbeVerdict {
  const keyHint = ctx.keyEnv ? `Check ${ctx.keyEnv}` : 'Check the API key';
  switch (o.kind) {
    case 'dns':
      return {
        ok: false,
        reason: `The host ${o.host} could not be resolved (DNS).`,
        fix: 'Check the endpoint URL for typos, and your DNS or proxy settings (HTTPS_PROXY).',
        next: 'endpoint',
      };
    case 'refused':
      return {
        ok: false,
        reason: `Nothing is listening at ${o.url} (connection refused).`,
        fix: 'Start the inference server, or check the port in the endpoint URL.',
        next: 'retry',
      };
    case 'timeout':
      return {
        ok: false,
        reason: `${o.url} did not answer within ${Math.round(o.ms / 1000)} s.`,
        fix: 'The provider may be overloaded or a local model still loading; retry, or check your network or proxy.',
        next: 'retry',
      };
    case 'network':
      return {
        ok: false,
        reason: `Could not reach ${o.url}: ${o.message}`,
        fix: 'Check the endpoint URL and your network or proxy settings.',
        next: 'endpoint',
      };
    case 'http':
      return judgeStatus(o.status, o.body, ctx, keyHint);
  }
}

function judgeStatus(
  status: number,
  body: string,
  ctx: { provider: string; model: string; url: string },
  keyHint: string,
): ProbeVerdict {
  const mentionsModel = /model/i.test(body);
  if (status >= 200 && status < 300) return { ok: true, reason: 'The provider answered.' };
  if (status === 401) {
    return {
      ok: false,
      reason: `${ctx.provider} rejected the API key (HTTP 401).`,
      fix: `${keyHint}: it may be mistyped, revoked or for another service.`,
      next: 'key',
    };
  }
  if (status === 403) {
    return {
      ok: false,
      reason: `${ctx.provider} refused access (HTTP 403): the key is valid but not allowed to use this API or model.`,
      fix: `${keyHint}'s permissions or plan, or choose another model.`,
      next: 'key',
    };
  }
  if (status === 404 || ((status === 400 || status === 422) && mentionsModel)) {
    if (mentionsModel) {
      return {
        ok: false,
        reason: `${ctx.provider} does not know the model "${ctx.model}" (HTTP ${status}).`,
        fix: 'Choose a model the provider serves.',
        next: 'model',
      };
    }
    return {
      ok: false,
      reason: `${ctx.url} was not found (HTTP 404).`,
      fix: 'Check the endpoint URL: it should end at the API root, usually /v1.',
      next: 'endpoint',
    };
  }
  if (status === 429) {
    return {
      ok: true,
      reason: 'The provider answered.',
      warning: `${ctx.provider} is rate-limiting this key (HTTP 429); the key was accepted.`,
    };
  }
  if (status >= 500) {
    return {
      ok: false,
      reason: `${ctx.provider} failed with HTTP ${status}.`,
      fix: 'The provider has a problem; retry in a moment.',
      next: 'retry',
    };
  }
  return {
    ok: false,
    reason: `${ctx.provider} answered HTTP ${status}: ${body.slice(0, 200)}`,
    fix: 'Check the model and endpoint.',
    next: 'model',
  };
}
