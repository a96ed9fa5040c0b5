/**
 * `credentials list|reset` across workspaces, against an OpenShell client per (gateway, workspace)
 * that can be down: an unreadable workspace is named and fails the command, never skipped
 * silently. The full path through the simulator is test/e2e/workspaces.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenshellClient, ProviderSummary } from '../../../src/adapters/openshell/types.ts';
import { clearKnownSecrets } from '../../../src/core/redact.ts';
import { credentialsList, credentialsReset } from '../../../src/usecases/credentials.ts';
import type { OpsWorld } from '../../../src/world.ts';
import { sandboxEntry, useTestHome } from '../../helpers/context.ts';

const t = useTestHome({ prefix: 'nc-creds-' });
afterEach(() => clearKnownSecrets());

const prov = (name: string): ProviderSummary =>
  ({ name, type: 'nvidia', credential_keys: ['NVIDIA_API_KEY'], config_keys: [] }) as never;

/** Providers per "gateway/workspace"; `down` scopes fail every call as an unreachable gateway does. */
function world(held: Record<string, ProviderSummary[]>, down: string[] = []) {
  const updates: { scope: string; env: Record<string, string>; argv: string }[] = [];
  const openshell = async (gateway = 'nemoclaw', workspace = 'default') => {
    const scope = `${gateway}/${workspace}`;
    const gate = () => {
      if (down.includes(scope)) throw new Error(`status: Unavailable, message: "no ${scope}"`);
    };
    return {
      providerList: async () => (gate(), held[scope] ?? []),
      providerGet: async (n: string) => (gate(), (held[scope] ?? []).find((p) => p.name === n)),
      providerUpdate: async (o: { name: string; env?: Record<string, string> }) => {
        gate();
        updates.push({ scope, env: o.env ?? {}, argv: JSON.stringify({ ...o, env: undefined }) });
      },
    } as unknown as OpenshellClient;
  };
  return { w: { openshell } as unknown as OpsWorld, updates };
}

const two = [
  sandboxEntry({ name: 'a', workspace: 'nc-a' }),
  sandboxEntry({ name: 'b', workspace: 'nc-b' }),
];

describe('credentials list', () => {
  it('names a workspace it could not read and exits 1, listing the others', async () => {
    await t.register(...two);
    const { w } = world({ 'nemoclaw/nc-a': [prov('nvidia-prod')] }, ['nemoclaw/nc-b']);
    expect(await credentialsList(t.context(), w, {})).toBe(1);
    expect(t.out.join('')).toContain('nvidia-prod');
    expect(t.err.join('')).toContain('workspace nc-b on gateway nemoclaw (sandbox b)');
  });

  it('with nothing registered asks the default gateway’s default workspace, as before', async () => {
    const { w } = world({ 'nemoclaw/default': [prov('nvidia-prod')] });
    expect(await credentialsList(t.context(), w, { json: true })).toBe(0);
    const doc = JSON.parse(t.out.join(''));
    expect(doc).toMatchObject({
      schemaVersion: 1,
      gateway: 'nemoclaw',
      providers: [{ name: 'nvidia-prod', workspace: 'default', sandboxes: [] }],
    });
  });
});

describe('credentials reset', () => {
  it('an unreadable workspace is reported and fails the command; the readable ones are updated', async () => {
    await t.register(...two);
    const { w, updates } = world({ 'nemoclaw/nc-a': [prov('nvidia-prod')] }, ['nemoclaw/nc-b']);
    const code = await credentialsReset(t.context({ env: { NVIDIA_API_KEY: 'nvapi-new-1' } }), w, {
      provider: 'build',
    });
    expect(code).toBe(1);
    expect(updates.map((u) => u.scope)).toEqual(['nemoclaw/nc-a']);
    expect(updates[0]!.env).toEqual({ NVIDIA_API_KEY: 'nvapi-new-1' });
    expect(updates[0]!.argv).not.toContain('nvapi-new-1');
    expect(t.err.join('')).toContain('not replaced in workspace nc-b');
    expect(t.out.join('') + t.err.join('')).not.toContain('nvapi-new-1');
  });

  it('held nowhere: not found with a did-you-mean from every workspace, nothing asked or changed', async () => {
    await t.register(...two);
    const { w, updates } = world({ 'nemoclaw/nc-b': [prov('nvidia-prod')] });
    await expect(credentialsReset(t.context(), w, { provider: 'nvidia-pord' })).rejects.toThrow(
      /No provider nvidia-pord/,
    );
    await expect(
      credentialsReset(t.context(), w, { provider: 'nvidia-pord' }),
    ).rejects.toMatchObject({ hint: 'Did you mean nvidia-prod?' });
    expect(updates).toEqual([]);
  });

  it('the value missing fails before any workspace changes', async () => {
    await t.register(...two);
    const { w, updates } = world({
      'nemoclaw/nc-a': [prov('nvidia-prod')],
      'nemoclaw/nc-b': [prov('nvidia-prod')],
    });
    await expect(credentialsReset(t.context(), w, { provider: 'build' })).rejects.toThrow(
      /NVIDIA_API_KEY is not set/,
    );
    expect(updates).toEqual([]);
  });
});
