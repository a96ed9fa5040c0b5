import { describe, expect, it } from 'vitest';

describe('dashboard port when none was chosen', () => {
  it('keeps a sandbox its own port, else takes the first free one from the default up', async () => {
    const { chooseDashboardPort } = await import('../../../src/core/ports.ts');
    expect(
      chooseDashboardPort({
        defaultPort: 18789,
        ownPort: 18791,
        recordedByOthers: [18789],
        busy: [18791],
      }),
    ).toBe(18791);
    expect(chooseDashboardPort({ defaultPort: 18789, recordedByOthers: [], busy: [] })).toBe(18789);
    expect(
      chooseDashboardPort({ defaultPort: 18789, recordedByOthers: [18789], busy: [18790] }),
    ).toBe(18791);
    expect(
      chooseDashboardPort({ defaultPort: 18789, recordedByOthers: [], busy: [], avoid: 18789 }),
    ).toBe(18790);
    const all = Array.from({ length: 11 }, (_, i) => 18789 + i);
    expect(
      chooseDashboardPort({ defaultPort: 18789, recordedByOthers: all, busy: [] }),
    ).toBeUndefined();
  });
});
