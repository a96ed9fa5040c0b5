/**
 * The v0.0.111 command tree (openshell-contract.md §1; facts read from crates/openshell-cli
 * main.rs). Every real subcommand is listed so that a real-but-unsimulated command is reported
 * as such instead of as a usage error; only the ones nemoclaw uses carry a full flag spec.
 */
import type { LeafSpec } from './args.ts';
import { u16, u32 } from './args.ts';
import {
  OUTPUT,
  arg,
  bool,
  gpuCount,
  leaf,
  multi,
  node,
  number,
  optName,
  optional,
  output,
  page,
  req,
  required,
  unsimulated,
  value,
} from './grammar-kit.ts';
import { rule, workspace } from './grammar-rule.ts';
import { gateway, inference, provider } from './grammar-services.ts';

const EDITORS = ['vscode', 'cursor'];
const tty = [bool('tty', { overrides: 'no_tty' }), bool('no-tty', { overrides: 'tty' })];

const sandboxCreate: LeafSpec = {
  flags: [
    value('name'),
    value('from'),
    multi('upload'),
    bool('no-git-ignore', { requires: ['upload'] }),
    bool('keep', { conflicts: ['no_keep'] }),
    bool('no-keep', { conflicts: ['keep', 'editor', 'forward'] }),
    value('editor', { choices: EDITORS, conflicts: ['no_keep'] }),
    optional('gpu', { valueName: 'COUNT', check: gpuCount }),
    value('cpu'),
    value('memory'),
    value('driver-config-json', { valueName: 'JSON' }),
    multi('provider', { valueName: 'PROVIDERS' }),
    value('policy'),
    value('forward', { conflicts: ['no_keep'] }),
    ...tty,
    bool('detach', { conflicts: ['editor', 'no_keep'] }),
    bool('auto-providers', { overrides: 'no_auto_providers' }),
    bool('no-auto-providers', { overrides: 'auto_providers' }),
    multi('label', { valueName: 'LABELS' }),
    multi('env', { valueName: 'KEY=VALUE' }),
    bool('no-credential-warnings'),
    value('approval-mode', { choices: ['manual', 'auto'], default: 'manual' }),
    output(OUTPUT, ['editor', 'command', 'no_keep', 'forward']),
  ],
  trailing: { id: 'command', mode: 'last', conflicts: ['upload'] },
};

const sandbox = node(
  'sandbox',
  [
    leaf('create', sandboxCreate),
    leaf('get', {
      flags: [bool('policy-only', { conflicts: ['output'] }), output()],
      positionals: optName(),
    }),
    leaf('list', {
      flags: [
        ...page('100'),
        bool('ids', { conflicts: ['names', 'output'] }),
        bool('names', { conflicts: ['ids', 'output'] }),
        value('selector'),
        output(OUTPUT, ['ids', 'names']),
        bool('all-workspaces'),
      ],
    }),
    leaf('delete', {
      flags: [bool('all', { conflicts: ['names'] })],
      positionals: [req('names', { valueName: 'NAME', multi: true })],
      requiredUnless: { positional: 'names', flag: 'all' },
    }),
    leaf('stop', { flags: [], positionals: optName() }),
    leaf('start', { flags: [], positionals: optName() }),
    leaf('exec', {
      flags: [
        value('name', { short: 'n' }),
        value('workdir'),
        number('timeout', '0'),
        ...tty,
        multi('env', { valueName: 'KEY=VALUE' }),
      ],
      trailing: { id: 'command', mode: 'var', required: true },
    }),
    leaf('connect', { flags: [value('editor', { choices: EDITORS })], positionals: optName() }),
    leaf('upload', {
      flags: [bool('no-git-ignore')],
      positionals: [req('name'), req('local_path'), arg('dest')],
    }),
    leaf('download', {
      flags: [],
      positionals: [req('name'), req('sandbox_path'), arg('dest')],
    }),
    unsimulated('ssh-config'),
    unsimulated('provider'),
  ],
  ['sb'],
);

const policy = node(
  'policy',
  [
    leaf('set', {
      flags: [
        required('policy'),
        bool('global'),
        bool('yes'),
        bool('wait'),
        number('timeout', '60'),
      ],
      positionals: optName(),
    }),
    unsimulated('update'),
    leaf('get', {
      flags: [
        number('rev', '0'),
        bool('full', { conflicts: ['base'] }),
        bool('base'),
        output(['table', 'json']),
        bool('global'),
      ],
      positionals: optName(),
    }),
    leaf('list', { flags: [number('limit', '20'), bool('global')], positionals: optName() }),
    unsimulated('delete'),
  ],
  ['pol'],
);

const forward = node(
  'forward',
  [
    leaf('start', {
      flags: [bool('background', { short: 'd' })],
      positionals: [req('port'), ...optName()],
    }),
    leaf('stop', { flags: [], positionals: [req('port', { check: u16 }), ...optName()] }),
    leaf('list', { flags: [] }),
    unsimulated('service'),
  ],
  ['fwd'],
);

const logs: LeafSpec = {
  flags: [
    // `-n` has no long form (main.rs `#[arg(short, default_value_t = 200)] n: u32`).
    { id: 'n', short: 'n', kind: 'value', valueName: 'N', check: u32, default: '200' },
    bool('tail'),
    value('since'),
    multi('source'),
    value('level', { default: '' }),
  ],
  positionals: optName(),
};

export const GRAMMAR = node('openshell', [
  sandbox,
  forward,
  unsimulated('service', ['svc']),
  leaf('logs', logs, ['lg']),
  policy,
  unsimulated('settings'),
  rule,
  provider,
  workspace,
  gateway,
  leaf('status', { flags: [output()] }),
  unsimulated('whoami'),
  inference,
  unsimulated('doctor', ['dr']),
  unsimulated('term'),
  unsimulated('completions'),
]);
