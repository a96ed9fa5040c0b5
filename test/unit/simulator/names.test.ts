/**
 * Pure rules from OpenShell v0.0.111's source (issue 12): the simulator's gateway TOML loader
 * (config_file.rs, openshell-driver-docker lib.rs) and nemoclaw's own counterparts.
 */
import { describe, expect, it } from 'vitest';
import { sandboxNameError } from '../../simulator/names.ts';

describe('names (validation.rs) in the simulator', () => {
  it.each([
    ['x'.repeat(19), undefined],
    ['9lives', undefined],
    ['x'.repeat(20), 'name exceeds maximum length (20 > 19)'],
    ['a--b', 'name must not contain consecutive hyphens'],
  ])('%j', (name, problem) => {
    expect(sandboxNameError(name)).toBe(problem);
  });
});
