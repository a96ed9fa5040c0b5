import { describe, expect, it } from 'vitest';

describe('the compile cache folder', () => {
  it('is in the user’s own cache folder, never a relative or shared one', async () => {
    const { compileCacheDir } = await import('../../src/cli.ts');
    expect(compileCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe(
      '/x/cache/nemoclaw/compile-cache',
    );
    expect(compileCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/nemoclaw/compile-cache');
    expect(compileCacheDir({ XDG_CACHE_HOME: 'rel', HOME: '/home/u' })).toBe(
      '/home/u/.cache/nemoclaw/compile-cache',
    );
    expect(compileCacheDir({ HOME: 'rel' })).toBeUndefined();
    expect(compileCacheDir({})).toBeUndefined();
  });
});
