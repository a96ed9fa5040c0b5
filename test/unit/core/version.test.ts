import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  inRange,
  parseOpenshellVersion,
  parseVersion,
} from '../../../src/core/version.ts';

describe('versions', () => {
  it('parses openshell --version output, including dev builds', () => {
    expect(parseOpenshellVersion('openshell 0.0.111\n')).toEqual({
      major: 0,
      minor: 0,
      patch: 111,
    });
    expect(parseOpenshellVersion('openshell 0.0.112-dev.3+gabc123')).toEqual({
      major: 0,
      minor: 0,
      patch: 112,
    });
    expect(parseOpenshellVersion('something else')).toBeUndefined();
  });
  it('checks ranges numerically, not as strings', () => {
    const v = (s: string) => parseVersion(s)!;
    expect(inRange(v('0.0.111'), v('0.0.111'), v('0.0.111'))).toBe(true);
    expect(inRange(v('0.0.99'), v('0.0.100'), v('0.0.111'))).toBe(false);
    expect(inRange(v('0.0.112'), v('0.0.100'), v('0.0.111'))).toBe(false);
    expect(compareVersions(v('0.0.9'), v('0.0.10'))).toBeLessThan(0);
  });
});
