import { describe, expect, it } from 'vitest';
import {
  isValidWorkspaceName,
  sharesRoute,
  workspaceNameFor,
  workspaceOf,
} from '../../../src/core/workspace.ts';

describe('workspace names (OpenShell: DNS-1123 label, at most 19 characters)', () => {
  it('is nc-<sandbox> when that fits', () => {
    expect(workspaceNameFor('alpha')).toBe('nc-alpha');
    expect(workspaceNameFor('a-sixteen-chars1')).toBe('nc-a-sixteen-chars1');
  });

  it('shortens long names with a tag, stays valid and tells sandboxes apart', () => {
    const names = [
      'a-very-long-sandbox-1',
      'a-very-long-sandbox-2',
      'sixteen-chars-ab',
      'double--hyphen',
      'x',
    ].map(workspaceNameFor);
    for (const n of names) expect(isValidWorkspaceName(n), n).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect(workspaceNameFor('a-very-long-sandbox-1')).toBe(
      workspaceNameFor('a-very-long-sandbox-1'),
    );
  });

  it('refuses what the gateway refuses', () => {
    for (const bad of ['', 'Upper', '-x', 'x-', 'a--b', 'a'.repeat(20)]) {
      expect(isValidWorkspaceName(bad), bad).toBe(false);
    }
  });

  it('an entry without a workspace is in default, sharing the route with the others there', () => {
    expect(workspaceOf({})).toBe('default');
    const a = { gatewayName: 'nemoclaw' };
    expect(sharesRoute(a, { gatewayName: 'nemoclaw', workspace: 'default' })).toBe(true);
    expect(sharesRoute(a, { gatewayName: 'nemoclaw', workspace: 'nc-b' })).toBe(false);
    expect(sharesRoute(a, { gatewayName: 'other' })).toBe(false);
  });
});
