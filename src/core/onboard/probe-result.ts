/**
 * What a provider validation request means (product.md §9): each failure gets its own message,
 * fix and the wizard's next move. Pure: the adapter reports what happened on the wire.
 */
import { meaningOf, parseProviderError } from '../provider-errors.ts';

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
  if (status >= 200 && status < 300) return { ok: true, reason: 'The provider answered.' };
  const err = parseProviderError(body);
  const meaning = meaningOf(status, err);
  // The provider's own words, quoted: they usually name the exact thing to change.
  const said = err.message ? ` It said: "${err.message.slice(0, 240)}"` : '';
  if (status === 401 || meaning === 'key') {
    return {
      ok: false,
      reason: `${ctx.provider} rejected the API key (HTTP ${status}).${said}`,
      fix: `${keyHint}: it may be mistyped, revoked or for another service.`,
      next: 'key',
    };
  }
  if (meaning === 'billing') {
    return {
      ok: false,
      reason: `${ctx.provider} accepted the key but the account cannot pay for requests (HTTP ${status}).${said}`,
      fix: `Add credit or raise the quota in your ${ctx.provider} account's billing settings, or use another key.`,
      next: 'key',
    };
  }
  if (status === 403 || meaning === 'permission') {
    return {
      ok: false,
      reason: `${ctx.provider} refused access (HTTP ${status}): the key is valid but not allowed to use this API or model.${said}`,
      fix: `${keyHint}'s permissions or plan, or choose another model.`,
      next: 'key',
    };
  }
  if (meaning === 'token-field' || meaning === 'parameter') {
    return {
      ok: false,
      reason: `${ctx.provider} refused the request's parameters for model "${ctx.model}" (HTTP ${status}).${said}`,
      fix: 'The server accepts neither token-limit field (max_tokens, max_completion_tokens) the way it is asked; check that the endpoint URL points at an OpenAI-compatible API, or choose another model.',
      next: 'model',
    };
  }
  const mentionsModel = /model/i.test(body);
  if (
    meaning === 'model' ||
    status === 404 ||
    ((status === 400 || status === 422) && mentionsModel)
  ) {
    if (meaning === 'model' || mentionsModel) {
      return {
        ok: false,
        reason: `${ctx.provider} does not know the model "${ctx.model}" (HTTP ${status}).${said}`,
        fix: 'Choose a model the provider serves (check the exact id, including its publisher prefix).',
        next: 'model',
      };
    }
    return {
      ok: false,
      reason: `${ctx.url} was not found (HTTP 404).${said}`,
      fix: 'Check the endpoint URL: it should end at the API root, usually /v1.',
      next: 'endpoint',
    };
  }
  if (meaning === 'overloaded' || status >= 500) {
    return {
      ok: false,
      reason: `${ctx.provider} failed with HTTP ${status}.${said}`,
      fix: 'The provider has a problem or is overloaded; retry in a moment.',
      next: 'retry',
    };
  }
  if (meaning === 'rate-limit') {
    return {
      ok: true,
      reason: 'The provider answered.',
      warning: `${ctx.provider} is rate-limiting this key (HTTP ${status}); the key was accepted.`,
    };
  }
  return {
    ok: false,
    reason: `${ctx.provider} answered HTTP ${status}:${said || ` ${body.slice(0, 200)}`}`,
    fix: 'Check the model and endpoint.',
    next: 'model',
  };
}
