import { describe, expect, it } from 'vitest';
import {
  clientWorkspace,
  credentialScopes,
  describeScope,
  planReset,
  type CredentialScope,
} from '../../../../src/core/credentials/scopes.ts';

const e = (name: string, workspace?: string, gatewayName = 'nemoclaw') => ({
  name,
  gatewayName,
  workspace,
});

describe('credentialScopes', () => {
  it('an empty registry acts on the default gateway’s default workspace', () => {
    expect(credentialScopes([])).toEqual([
      { gateway: 'nemoclaw', workspace: 'default', sandboxes: [] },
    ]);
  });

  it('one scope per distinct (gateway, workspace), sandboxes grouped, in a stable order', () => {
    const scopes = credentialScopes([
      e('b', 'nc-b'),
      e('old2'),
      e('a', 'nc-a'),
      e('old1', 'default'),
      e('far', 'nc-far', 'other'),
      e('twin', 'nc-a'),
    ]);
    expect(scopes).toEqual([
      { gateway: 'nemoclaw', workspace: 'default', sandboxes: ['old1', 'old2'] },
      { gateway: 'nemoclaw', workspace: 'nc-a', sandboxes: ['a', 'twin'] },
      { gateway: 'nemoclaw', workspace: 'nc-b', sandboxes: ['b'] },
      { gateway: 'other', workspace: 'nc-far', sandboxes: ['far'] },
    ]);
  });

  it('the same workspace name on two gateways is two scopes', () => {
    expect(credentialScopes([e('x', 'w', 'g1'), e('y', 'w', 'g2')])).toHaveLength(2);
  });

  it('--sandbox narrows to that sandbox’s scope only; an unknown one to none', () => {
    const all = [e('a', 'nc-a'), e('b', 'nc-b')];
    expect(credentialScopes(all, 'b')).toEqual([
      { gateway: 'nemoclaw', workspace: 'nc-b', sandboxes: ['b'] },
    ]);
    expect(credentialScopes(all, 'nope')).toEqual([]);
  });

  it('the default workspace is OpenShell’s own: no --workspace for it', () => {
    expect(clientWorkspace({ workspace: 'default' })).toBeUndefined();
    expect(clientWorkspace({ workspace: 'nc-a' })).toBe('nc-a');
  });

  it('describes a scope with its sandboxes', () => {
    expect(describeScope({ gateway: 'nemoclaw', workspace: 'nc-a', sandboxes: ['a', 'b'] })).toBe(
      'workspace nc-a on gateway nemoclaw (sandboxes a, b)',
    );
    expect(describeScope({ gateway: 'g', workspace: 'default', sandboxes: ['o'] })).toBe(
      'the default workspace on gateway g (sandbox o)',
    );
  });
});

describe('planReset', () => {
  const s = (ws: string): CredentialScope => ({
    gateway: 'nemoclaw',
    workspace: ws,
    sandboxes: [],
  });
  const held = (keys: string[], type = 'openai') => ({ type, credentialKeys: keys });

  it('updates every scope that holds the provider, asking each key once', () => {
    const plan = planReset([
      { scope: s('nc-a'), provider: held(['OPENAI_API_KEY']) },
      { scope: s('nc-b') },
      { scope: s('nc-c'), provider: held(['OPENAI_API_KEY']) },
    ]);
    expect(plan).toEqual({
      kind: 'update',
      keys: ['OPENAI_API_KEY'],
      unreadable: [],
      targets: [
        { scope: s('nc-a'), type: 'openai', keys: ['OPENAI_API_KEY'] },
        { scope: s('nc-c'), type: 'openai', keys: ['OPENAI_API_KEY'] },
      ],
    });
  });

  it('no scope holds it: not found', () => {
    expect(planReset([{ scope: s('nc-a') }, { scope: s('nc-b') }])).toEqual({ kind: 'not-found' });
    expect(planReset([])).toEqual({ kind: 'not-found' });
  });

  it('a provider without key names falls back to the spec’s key, else stores nothing to reset', () => {
    const plan = planReset([{ scope: s('nc-a'), provider: held([]) }], 'NVIDIA_API_KEY');
    expect(plan).toMatchObject({ kind: 'update', keys: ['NVIDIA_API_KEY'] });
    expect(planReset([{ scope: s('nc-a'), provider: held([]) }])).toEqual({
      kind: 'no-credential',
    });
  });

  it('an unreadable scope is reported, never silently skipped', () => {
    const plan = planReset([
      { scope: s('nc-a'), provider: held(['K']) },
      { scope: s('nc-b'), error: 'status: Unavailable' },
    ]);
    expect(plan).toMatchObject({
      kind: 'update',
      targets: [{ scope: s('nc-a') }],
      unreadable: [{ scope: s('nc-b'), error: 'status: Unavailable' }],
    });
    // Nothing readable holds it, but an unreadable scope might: that is a failure, not "not found".
    expect(planReset([{ scope: s('nc-b'), error: 'down' }])).toMatchObject({
      kind: 'update',
      targets: [],
      keys: [],
      unreadable: [{ scope: s('nc-b') }],
    });
  });

  it('keys differing between scopes: the union is asked, each scope gets its own', () => {
    const plan = planReset([
      { scope: s('nc-a'), provider: held(['K1']) },
      { scope: s('nc-b'), provider: held(['K1', 'K2']) },
    ]);
    expect(plan).toMatchObject({
      keys: ['K1', 'K2'],
      targets: [{ keys: ['K1'] }, { keys: ['K1', 'K2'] }],
    });
  });
});
