/**
 * `provider`, `gateway` (alias `gw`) and `inference` of the v0.0.111 command tree:
 * crates/openshell-cli/src/main.rs ProviderCommands, GatewayCommands and InferenceCommands.
 */
import type { NodeSpec } from './args.ts';
import { u32 } from './args.ts';
import { OUTPUT, leaf, optName, output, unsimulated } from './grammar-kit.ts';

export const provider: NodeSpec = {
  name: 'provider',
  children: [
    leaf('create', {
      flags: [
        { id: 'name', long: 'name', kind: 'value', valueName: 'NAME', required: true },
        { id: 'type', long: 'type', kind: 'value', valueName: 'PROVIDER_TYPE', required: true },
        {
          id: 'from_existing',
          long: 'from-existing',
          kind: 'bool',
          conflicts: ['credential', 'from_gcloud_adc', 'runtime_credentials'],
        },
        {
          id: 'credential',
          long: 'credential',
          kind: 'multi',
          valueName: 'KEY[=VALUE]',
          conflicts: ['from_existing', 'from_gcloud_adc', 'runtime_credentials'],
        },
        { id: 'from_gcloud_adc', long: 'from-gcloud-adc', kind: 'bool' },
        { id: 'runtime_credentials', long: 'runtime-credentials', kind: 'bool' },
        { id: 'config', long: 'config', kind: 'multi', valueName: 'KEY=VALUE' },
        { id: 'global_profile', long: 'global-profile', kind: 'bool' },
      ],
      groups: [
        {
          id: 'cred_source',
          members: ['from_existing', 'credential', 'from_gcloud_adc', 'runtime_credentials'],
          required: true,
        },
      ],
    }),
    unsimulated('refresh'),
    leaf('get', { flags: [], positionals: [{ id: 'name', valueName: 'NAME', required: true }] }),
    leaf('list', {
      flags: [
        {
          id: 'limit',
          long: 'limit',
          kind: 'value',
          valueName: 'LIMIT',
          check: u32,
          default: '100',
        },
        {
          id: 'offset',
          long: 'offset',
          kind: 'value',
          valueName: 'OFFSET',
          check: u32,
          default: '0',
        },
        { id: 'names', long: 'names', kind: 'bool', conflicts: ['output'] },
        output(OUTPUT, ['names']),
        { id: 'all_workspaces', long: 'all-workspaces', kind: 'bool' },
      ],
    }),
    unsimulated('list-profiles'),
    unsimulated('profile'),
    leaf('update', {
      flags: [
        { id: 'from_existing', long: 'from-existing', kind: 'bool', conflicts: ['credential'] },
        {
          id: 'credential',
          long: 'credential',
          kind: 'multi',
          valueName: 'KEY[=VALUE]',
          conflicts: ['from_existing'],
        },
        { id: 'config', long: 'config', kind: 'multi', valueName: 'KEY=VALUE' },
        {
          id: 'credential_expires_at',
          long: 'credential-expires-at',
          kind: 'multi',
          valueName: 'KEY=TIMESTAMP',
        },
      ],
      positionals: [{ id: 'name', valueName: 'NAME', required: true }],
    }),
    leaf('delete', {
      flags: [],
      positionals: [{ id: 'names', valueName: 'NAME', multi: true, required: true }],
    }),
  ],
};

export const gateway: NodeSpec = {
  name: 'gateway',
  aliases: ['gw'],
  children: [
    leaf('add', {
      flags: [
        { id: 'name', long: 'name', kind: 'value', valueName: 'NAME' },
        { id: 'remote', long: 'remote', kind: 'value', valueName: 'REMOTE', conflicts: ['local'] },
        { id: 'local', long: 'local', kind: 'bool', conflicts: ['remote'] },
        {
          id: 'oidc_issuer',
          long: 'oidc-issuer',
          kind: 'value',
          valueName: 'OIDC_ISSUER',
          conflicts: ['remote'],
        },
        {
          id: 'oidc_client_id',
          long: 'oidc-client-id',
          kind: 'value',
          valueName: 'OIDC_CLIENT_ID',
          requires: ['oidc_issuer'],
          default: 'openshell-cli',
        },
        {
          id: 'oidc_audience',
          long: 'oidc-audience',
          kind: 'value',
          valueName: 'OIDC_AUDIENCE',
          requires: ['oidc_issuer'],
        },
        {
          id: 'oidc_scopes',
          long: 'oidc-scopes',
          kind: 'value',
          valueName: 'OIDC_SCOPES',
          requires: ['oidc_issuer'],
        },
      ],
      positionals: [{ id: 'endpoint', valueName: 'ENDPOINT', required: true }],
    }),
    leaf('remove', { flags: [], positionals: optName() }),
    unsimulated('login'),
    unsimulated('logout'),
    leaf('select', { flags: [], positionals: optName() }),
    leaf('info', { flags: [output()] }),
    leaf('list', { flags: [output()] }),
  ],
};

export const inference: NodeSpec = {
  name: 'inference',
  children: [
    leaf('set', {
      flags: [
        { id: 'provider', long: 'provider', kind: 'value', valueName: 'PROVIDER', required: true },
        { id: 'model', long: 'model', kind: 'value', valueName: 'MODEL', required: true },
        { id: 'system', long: 'system', kind: 'bool' },
        { id: 'no_verify', long: 'no-verify', kind: 'bool' },
        {
          id: 'timeout',
          long: 'timeout',
          kind: 'value',
          valueName: 'TIMEOUT',
          check: u32,
          default: '0',
        },
      ],
    }),
    unsimulated('update'),
    leaf('get', { flags: [{ id: 'system', long: 'system', kind: 'bool' }] }),
    leaf('delete', { flags: [{ id: 'system', long: 'system', kind: 'bool' }] }),
  ],
};
