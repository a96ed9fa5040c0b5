import { describe, expect, it } from 'vitest';
import { didYouMean, sandboxNameProblem, suggestSandboxName } from '../../../src/core/names.ts';

describe('sandbox names', () => {
  it.each(['a', 'my-assistant', 'a1', 'x'.repeat(19), 'dev-2'])('accepts %s', (n) => {
    expect(sandboxNameProblem(n)).toBeUndefined();
  });
  it.each([
    '',
    'A',
    '1abc',
    '-a',
    'a-',
    'a--b',
    'a_b',
    'a.b',
    // OpenShell's MAX_ROUTABLE_NAME_LEN (grpc/mod.rs) is 19.
    'x'.repeat(20),
    'x'.repeat(63),
    'list',
    'onboard',
    'my assistant',
  ])('rejects %j', (n) => {
    expect(sandboxNameProblem(n)).toBeTypeOf('string');
  });
  it('suggests a valid slug', () => {
    expect(suggestSandboxName('My Assistant!')).toBe('my-assistant');
    expect(suggestSandboxName('9lives')).toBe('lives');
    expect(suggestSandboxName('list')).toBe('list-sandbox');
    expect(suggestSandboxName('My Very Long Assistant Name')).toBe('my-very-long-assist');
  });
});

describe('did you mean', () => {
  it('finds transpositions and typos', () => {
    expect(didYouMean('lsit', ['list', 'status', 'onboard'])).toBe('list');
    expect(didYouMean('stauts', ['list', 'status'])).toBe('status');
    expect(didYouMean('zzzzzz', ['list', 'status'])).toBeUndefined();
  });
});
