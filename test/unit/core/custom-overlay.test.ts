import { describe, expect, it } from 'vitest';
import { overlayDockerfile, overlayTag, preserveScript } from '../../../src/core/custom-overlay.ts';

describe('the configuration layer over a --from image', () => {
  it('runs the install step as root, then gives the image its own USER back', () => {
    const d = overlayDockerfile('sandbox');
    expect(d).toMatch(/FROM \$\{BASE_IMAGE\}\nUSER root\n/);
    expect(d).toContain('sh /tmp/nemoclaw-agent/preserve.sh && sh /tmp/nemoclaw-agent/install.sh');
    expect(d.trimEnd().split('\n').at(-1)).toBe('USER sandbox');
    for (const u of [undefined, 'root', '0'])
      expect(overlayDockerfile(u).trimEnd().split('\n').at(-1)).toMatch(/^RUN /);
  });

  it('moves what a linked folder held into the state, quoting every path', () => {
    const s = preserveScript({
      config_dir: "/sandbox/.o'c",
      config: { state_dir: '/sandbox/.data', links: ['skills', 'memory'] },
    });
    expect(s).toContain(
      `if [ -d '/sandbox/.o'\\''c/skills' ] && [ ! -L '/sandbox/.o'\\''c/skills' ]; then mkdir -p '/sandbox/.data/skills' && cp -a '/sandbox/.o'\\''c/skills'/. '/sandbox/.data/skills'/; fi`,
    );
    expect(s.match(/^if /gm)).toHaveLength(2);
  });

  it('is keyed by the user image and the config: either changing gives a new tag', () => {
    const a = overlayTag({ agent: 'openclaw', baseImageId: 'sha256:a', configDigest: 'sha256:c' });
    expect(a.tag).toMatch(/^nemoclaw-sandbox-openclaw:custom-[0-9a-f]{12}$/);
    expect(
      overlayTag({ agent: 'openclaw', baseImageId: 'sha256:b', configDigest: 'sha256:c' }).tag,
    ).not.toBe(a.tag);
    expect(
      overlayTag({ agent: 'openclaw', baseImageId: 'sha256:a', configDigest: 'sha256:d' }).tag,
    ).not.toBe(a.tag);
  });
});
