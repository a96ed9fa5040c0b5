import { describe, expect, it } from 'vitest';
import { rebuildPushRegistry } from '../../../../src/core/rebuild/push-target.ts';

const pinned = `reg.example:5000/team/nemoclaw-sandbox-openclaw@sha256:${'a'.repeat(64)}`;

describe('rebuildPushRegistry', () => {
  it('a remote gateway: the registry its pinned image came from', () => {
    expect(rebuildPushRegistry({ gatewayUrl: 'https://gw.example:8080', image: pinned })).toBe(
      'reg.example:5000/team',
    );
  });
  it('a local gateway, or a loopback one, pushes nothing', () => {
    expect(rebuildPushRegistry({ image: pinned })).toBeUndefined();
    expect(
      rebuildPushRegistry({ gatewayUrl: 'http://127.0.0.1:8080', image: pinned }),
    ).toBeUndefined();
  });
  it('an image that is no pinned registry reference pushes nothing', () => {
    for (const image of [
      'nemoclaw-sandbox-openclaw:0.2.0-abc',
      'reg/other@sha256:' + 'a'.repeat(64),
    ])
      expect(rebuildPushRegistry({ gatewayUrl: 'https://gw.example', image })).toBeUndefined();
  });
});
