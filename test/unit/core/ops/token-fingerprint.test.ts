import { describe, expect, it } from 'vitest';
import {
  type ChannelTokenHolder,
  sharedTokenChecks,
  sharedTokens,
  tokenFingerprint,
  tokenHolders,
} from '../../../../src/core/ops/token-fingerprint.ts';

const k1 = Buffer.alloc(32, 1);
const k2 = Buffer.alloc(32, 2);

describe('keyed token fingerprints', () => {
  it('equal tokens match, different tokens or keys do not, and the token is not in the output', () => {
    const a = tokenFingerprint(k1, { TELEGRAM_BOT_TOKEN: 'tok-123' });
    expect(a).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(a).not.toContain('tok-123');
    expect(tokenFingerprint(k1, { TELEGRAM_BOT_TOKEN: 'tok-123' })).toBe(a);
    expect(tokenFingerprint(k1, { DISCORD_BOT_TOKEN: 'tok-123' })).toBe(a);
    expect(tokenFingerprint(k1, { TELEGRAM_BOT_TOKEN: 'tok-124' })).not.toBe(a);
    // A different home's key gives an unrelated fingerprint: no dictionary across machines.
    expect(tokenFingerprint(k2, { TELEGRAM_BOT_TOKEN: 'tok-123' })).not.toBe(a);
    // Multi-credential channels (Slack: bot + app token) compare both, not their concatenation.
    expect(tokenFingerprint(k1, { A: 'x', B: 'yz' })).not.toBe(
      tokenFingerprint(k1, { A: 'xy', B: 'z' }),
    );
  });

  it('finds the other holders and every shared token', () => {
    const fp = tokenFingerprint(k1, { T: 'same' });
    const entries: ChannelTokenHolder[] = [
      { name: 'a', channelTokens: { telegram: fp } },
      { name: 'b', channelTokens: { discord: tokenFingerprint(k1, { T: 'other' }) } },
      { name: 'c' },
    ];
    expect(tokenHolders(entries, fp, 'b')).toEqual([{ sandbox: 'a', channel: 'telegram' }]);
    expect(tokenHolders(entries, fp, 'a')).toEqual([]);
    expect(sharedTokens(entries)).toEqual([]);
    const shared = [...entries, { name: 'd', channelTokens: { telegram: fp } }];
    expect(sharedTokens(shared)).toEqual([{ channel: 'telegram', sandboxes: ['a', 'd'] }]);
    const [check] = sharedTokenChecks(shared);
    expect(check).toMatchObject({ id: 'channels.shared.telegram', status: 'fail' });
    expect(check!.fix).toContain('nemoclaw d channels remove telegram');
  });
});
