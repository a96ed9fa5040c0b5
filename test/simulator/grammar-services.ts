/**
 * `provider`, `gateway` (alias `gw`) and `inference` of the v0.0.111 command tree:
 * crates/openshell-cli/src/main.rs ProviderCommands, GatewayCommands and InferenceCommands.
 */
import {
  OUTPUT,
  bool,
  leaf,
  multi,
  node,
  number,
  optName,
  output,
  page,
  req,
  required,
  unsimulated,
  value,
} from './grammar-kit.ts';

const CRED_SOURCES = ['from_existing', 'credential', 'from_gcloud_adc', 'runtime_credentials'];
const others = (id: string) => CRED_SOURCES.filter((s) => s !== id);

export const provider = node('provider', [
  leaf('create', {
    flags: [
      required('name'),
      required('type', { valueName: 'PROVIDER_TYPE' }),
      bool('from-existing', { conflicts: others('from_existing') }),
      multi('credential', { valueName: 'KEY[=VALUE]', conflicts: others('credential') }),
      bool('from-gcloud-adc'),
      bool('runtime-credentials'),
      multi('config', { valueName: 'KEY=VALUE' }),
      bool('global-profile'),
    ],
    groups: [{ id: 'cred_source', members: CRED_SOURCES, required: true }],
  }),
  unsimulated('refresh'),
  leaf('get', { flags: [], positionals: [req('name')] }),
  leaf('list', {
    flags: [
      ...page('100'),
      bool('names', { conflicts: ['output'] }),
      output(OUTPUT, ['names']),
      bool('all-workspaces'),
    ],
  }),
  unsimulated('list-profiles'),
  unsimulated('profile'),
  leaf('update', {
    flags: [
      bool('from-existing', { conflicts: ['credential'] }),
      multi('credential', { valueName: 'KEY[=VALUE]', conflicts: ['from_existing'] }),
      multi('config', { valueName: 'KEY=VALUE' }),
      multi('credential-expires-at', { valueName: 'KEY=TIMESTAMP' }),
    ],
    positionals: [req('name')],
  }),
  leaf('delete', { flags: [], positionals: [req('names', { valueName: 'NAME', multi: true })] }),
]);

export const gateway = node(
  'gateway',
  [
    leaf('add', {
      flags: [
        value('name'),
        value('remote', { conflicts: ['local'] }),
        bool('local', { conflicts: ['remote'] }),
        value('oidc-issuer', { conflicts: ['remote'] }),
        value('oidc-client-id', { requires: ['oidc_issuer'], default: 'openshell-cli' }),
        value('oidc-audience', { requires: ['oidc_issuer'] }),
        value('oidc-scopes', { requires: ['oidc_issuer'] }),
      ],
      positionals: [req('endpoint')],
    }),
    leaf('remove', { flags: [], positionals: optName() }),
    unsimulated('login'),
    unsimulated('logout'),
    leaf('select', { flags: [], positionals: optName() }),
    leaf('info', { flags: [output()] }),
    leaf('list', { flags: [output()] }),
  ],
  ['gw'],
);

export const inference = node('inference', [
  leaf('set', {
    flags: [
      required('provider'),
      required('model'),
      bool('system'),
      bool('no-verify'),
      number('timeout', '0'),
    ],
  }),
  unsimulated('update'),
  leaf('get', { flags: [bool('system')] }),
  leaf('delete', { flags: [bool('system')] }),
]);
