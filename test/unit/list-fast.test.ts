import { describe, expect, it } from 'vitest';
import { isSecretEnvName } from '../../src/core/redact.ts';
import { secretLooking } from '../../src/list-fast.ts';

describe('secretLooking (the list fast path’s pre-filter of secret variables)', () => {
  it('keeps every variable that isSecretEnvName calls a secret, in any case', () => {
    const parts = ['', 'my', 'api', 'key', 'Token', 'secret', 'PassWord', 'passwd', 'credential'];
    const more = ['credentials', 'keys', 'ſecret', 'KEYBOARD', 'monkey', 'gpg', 'home', 'x1'];
    const names = new Set<string>(['GPG_KEY', 'SSH_AUTH_SOCK', 'NEMOCLAW_CREDENTIAL_ENV', 'PATH']);
    for (const a of [...parts, ...more])
      for (const b of [...parts, ...more])
        for (const c of ['', 'key', 'TOKEN', 'id']) {
          for (const sep of ['_', '']) names.add([a, b, c].filter(Boolean).join(sep));
          names.add([a, b, c].filter(Boolean).join('_').toUpperCase());
        }
    const env = Object.fromEntries([...names].map((n) => [n, `value of ${n}`]));
    const kept = secretLooking(env);
    const secret = [...names].filter(isSecretEnvName);
    expect(secret.length).toBeGreaterThan(100);
    for (const n of secret) expect(kept[n], n).toBe(env[n]);
    expect(kept.PATH).toBeUndefined();
  });
});
