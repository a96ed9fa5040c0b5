/**
 * One consumer per messaging token (issue 20): two sandboxes polling the same bot token disconnect
 * each other and drop messages. nemoclaw never keeps a token, so it compares tokens by a keyed
 * fingerprint, HMAC-SHA256 under a random key of this nemoclaw home: without that key a fingerprint
 * cannot be used to test guesses of a token, and the key never leaves the host.
 */
import { createHmac } from 'node:crypto';
import type { CheckResult } from '../preflight.ts';

export const FINGERPRINT_PREFIX = 'hmac-sha256:';

/**
 * The fingerprint of one channel's credentials: their values in the order of their names. The
 * names stay out, so one token pasted under two channels is still one consumer.
 */
export function tokenFingerprint(key: Buffer, values: Record<string, string>): string {
  const h = createHmac('sha256', key);
  for (const name of Object.keys(values).sort()) h.update(`${values[name]}\0`);
  return FINGERPRINT_PREFIX + h.digest('hex');
}

export interface ChannelTokenHolder {
  name: string;
  channelTokens?: Record<string, string>;
}

/** The other sandboxes that already hold `fingerprint` for any channel. */
export function tokenHolders(
  entries: ChannelTokenHolder[],
  fingerprint: string,
  except: string,
): { sandbox: string; channel: string }[] {
  const out: { sandbox: string; channel: string }[] = [];
  for (const e of entries) {
    if (e.name === except) continue;
    for (const [channel, fp] of Object.entries(e.channelTokens ?? {})) {
      if (fp === fingerprint) out.push({ sandbox: e.name, channel });
    }
  }
  return out;
}

/** Every fingerprint held by more than one sandbox: what doctor flags. */
export function sharedTokens(
  entries: ChannelTokenHolder[],
): { channel: string; sandboxes: string[] }[] {
  const by = new Map<string, { channel: string; sandboxes: string[] }>();
  for (const e of entries) {
    for (const [channel, fp] of Object.entries(e.channelTokens ?? {})) {
      const g = by.get(fp) ?? { channel, sandboxes: [] };
      if (!g.sandboxes.includes(e.name)) g.sandboxes.push(e.name);
      by.set(fp, g);
    }
  }
  return [...by.values()].filter((g) => g.sandboxes.length > 1);
}

/** Doctor's finding for each token that more than one sandbox holds. */
export function sharedTokenChecks(entries: ChannelTokenHolder[]): CheckResult[] {
  return sharedTokens(entries).map((g) => ({
    id: `channels.shared.${g.channel}`,
    title: `Channel token (${g.channel})`,
    status: 'fail' as const,
    detail: `the same token is attached to ${g.sandboxes.join(' and ')}: they disconnect each other and drop messages`,
    fix: `Give each sandbox its own token: nemoclaw ${g.sandboxes[1]} channels remove ${g.channel}, then add it again with a new token.`,
  }));
}
