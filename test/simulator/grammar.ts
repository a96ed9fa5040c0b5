/**
 * The v0.0.111 command tree (openshell-contract.md §1; facts read from crates/openshell-cli
 * main.rs). Every real subcommand is listed so that a real-but-unsimulated command is reported
 * as such instead of as a usage error; only the ones nemoclaw uses carry a full flag spec.
 */
import type { LeafSpec, NodeSpec } from './args.ts';
import { u16, u32 } from './args.ts';
import { OUTPUT, gpuCount, leaf, optName, output, unsimulated } from './grammar-kit.ts';
import { rule, workspace } from './grammar-rule.ts';
import { gateway, inference, provider } from './grammar-services.ts';

const sandboxCreate: LeafSpec = {
  flags: [
    { id: 'name', long: 'name', kind: 'value', valueName: 'NAME' },
    { id: 'from', long: 'from', kind: 'value', valueName: 'FROM' },
    { id: 'upload', long: 'upload', kind: 'multi', valueName: 'UPLOAD' },
    { id: 'no_git_ignore', long: 'no-git-ignore', kind: 'bool', requires: ['upload'] },
    { id: 'keep', long: 'keep', kind: 'bool', conflicts: ['no_keep'] },
    { id: 'no_keep', long: 'no-keep', kind: 'bool', conflicts: ['keep', 'editor', 'forward'] },
    {
      id: 'editor',
      long: 'editor',
      kind: 'value',
      valueName: 'EDITOR',
      choices: ['vscode', 'cursor'],
      conflicts: ['no_keep'],
    },
    { id: 'gpu', long: 'gpu', kind: 'optional', valueName: 'COUNT', check: gpuCount },
    { id: 'cpu', long: 'cpu', kind: 'value', valueName: 'CPU' },
    { id: 'memory', long: 'memory', kind: 'value', valueName: 'MEMORY' },
    { id: 'driver_config_json', long: 'driver-config-json', kind: 'value', valueName: 'JSON' },
    { id: 'provider', long: 'provider', kind: 'multi', valueName: 'PROVIDERS' },
    { id: 'policy', long: 'policy', kind: 'value', valueName: 'POLICY' },
    { id: 'forward', long: 'forward', kind: 'value', valueName: 'FORWARD', conflicts: ['no_keep'] },
    { id: 'tty', long: 'tty', kind: 'bool', overrides: 'no_tty' },
    { id: 'no_tty', long: 'no-tty', kind: 'bool', overrides: 'tty' },
    { id: 'detach', long: 'detach', kind: 'bool', conflicts: ['editor', 'no_keep'] },
    { id: 'auto_providers', long: 'auto-providers', kind: 'bool', overrides: 'no_auto_providers' },
    {
      id: 'no_auto_providers',
      long: 'no-auto-providers',
      kind: 'bool',
      overrides: 'auto_providers',
    },
    { id: 'label', long: 'label', kind: 'multi', valueName: 'LABELS' },
    { id: 'env', long: 'env', kind: 'multi', valueName: 'KEY=VALUE' },
    { id: 'no_credential_warnings', long: 'no-credential-warnings', kind: 'bool' },
    {
      id: 'approval_mode',
      long: 'approval-mode',
      kind: 'value',
      valueName: 'APPROVAL_MODE',
      choices: ['manual', 'auto'],
      default: 'manual',
    },
    output(OUTPUT, ['editor', 'command', 'no_keep', 'forward']),
  ],
  trailing: { id: 'command', mode: 'last', conflicts: ['upload'] },
};

const sandbox: NodeSpec = {
  name: 'sandbox',
  aliases: ['sb'],
  children: [
    leaf('create', sandboxCreate),
    leaf('get', {
      flags: [
        { id: 'policy_only', long: 'policy-only', kind: 'bool', conflicts: ['output'] },
        output(),
      ],
      positionals: optName(),
    }),
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
        { id: 'ids', long: 'ids', kind: 'bool', conflicts: ['names', 'output'] },
        { id: 'names', long: 'names', kind: 'bool', conflicts: ['ids', 'output'] },
        { id: 'selector', long: 'selector', kind: 'value', valueName: 'SELECTOR' },
        output(OUTPUT, ['ids', 'names']),
        { id: 'all_workspaces', long: 'all-workspaces', kind: 'bool' },
      ],
    }),
    leaf('delete', {
      flags: [{ id: 'all', long: 'all', kind: 'bool', conflicts: ['names'] }],
      positionals: [{ id: 'names', valueName: 'NAME', multi: true, required: true }],
      requiredUnless: { positional: 'names', flag: 'all' },
    }),
    leaf('stop', { flags: [], positionals: optName() }),
    leaf('start', { flags: [], positionals: optName() }),
    leaf('exec', {
      flags: [
        { id: 'name', long: 'name', short: 'n', kind: 'value', valueName: 'NAME' },
        { id: 'workdir', long: 'workdir', kind: 'value', valueName: 'WORKDIR' },
        {
          id: 'timeout',
          long: 'timeout',
          kind: 'value',
          valueName: 'TIMEOUT',
          check: u32,
          default: '0',
        },
        { id: 'tty', long: 'tty', kind: 'bool', overrides: 'no_tty' },
        { id: 'no_tty', long: 'no-tty', kind: 'bool', overrides: 'tty' },
        { id: 'env', long: 'env', kind: 'multi', valueName: 'KEY=VALUE' },
      ],
      trailing: { id: 'command', mode: 'var', required: true },
    }),
    leaf('connect', {
      flags: [
        {
          id: 'editor',
          long: 'editor',
          kind: 'value',
          valueName: 'EDITOR',
          choices: ['vscode', 'cursor'],
        },
      ],
      positionals: optName(),
    }),
    leaf('upload', {
      flags: [{ id: 'no_git_ignore', long: 'no-git-ignore', kind: 'bool' }],
      positionals: [
        { id: 'name', valueName: 'NAME', required: true },
        { id: 'local_path', valueName: 'LOCAL_PATH', required: true },
        { id: 'dest', valueName: 'DEST' },
      ],
    }),
    leaf('download', {
      flags: [],
      positionals: [
        { id: 'name', valueName: 'NAME', required: true },
        { id: 'sandbox_path', valueName: 'SANDBOX_PATH', required: true },
        { id: 'dest', valueName: 'DEST' },
      ],
    }),
    unsimulated('ssh-config'),
    unsimulated('provider'),
  ],
};

const policy: NodeSpec = {
  name: 'policy',
  aliases: ['pol'],
  children: [
    leaf('set', {
      flags: [
        { id: 'policy', long: 'policy', kind: 'value', valueName: 'POLICY', required: true },
        { id: 'global', long: 'global', kind: 'bool' },
        { id: 'yes', long: 'yes', kind: 'bool' },
        { id: 'wait', long: 'wait', kind: 'bool' },
        {
          id: 'timeout',
          long: 'timeout',
          kind: 'value',
          valueName: 'TIMEOUT',
          check: u32,
          default: '60',
        },
      ],
      positionals: optName(),
    }),
    unsimulated('update'),
    leaf('get', {
      flags: [
        { id: 'rev', long: 'rev', kind: 'value', valueName: 'REV', check: u32, default: '0' },
        { id: 'full', long: 'full', kind: 'bool', conflicts: ['base'] },
        { id: 'base', long: 'base', kind: 'bool' },
        output(['table', 'json']),
        { id: 'global', long: 'global', kind: 'bool' },
      ],
      positionals: optName(),
    }),
    leaf('list', {
      flags: [
        {
          id: 'limit',
          long: 'limit',
          kind: 'value',
          valueName: 'LIMIT',
          check: u32,
          default: '20',
        },
        { id: 'global', long: 'global', kind: 'bool' },
      ],
      positionals: optName(),
    }),
    unsimulated('delete'),
  ],
};

const forward: NodeSpec = {
  name: 'forward',
  aliases: ['fwd'],
  children: [
    leaf('start', {
      flags: [{ id: 'background', long: 'background', short: 'd', kind: 'bool' }],
      positionals: [{ id: 'port', valueName: 'PORT', required: true }, ...optName()],
    }),
    leaf('stop', {
      flags: [],
      positionals: [{ id: 'port', valueName: 'PORT', required: true, check: u16 }, ...optName()],
    }),
    leaf('list', { flags: [] }),
    unsimulated('service'),
  ],
};

const logs: LeafSpec = {
  flags: [
    { id: 'n', short: 'n', kind: 'value', valueName: 'N', check: u32, default: '200' },
    { id: 'tail', long: 'tail', kind: 'bool' },
    { id: 'since', long: 'since', kind: 'value', valueName: 'SINCE' },
    { id: 'source', long: 'source', kind: 'multi', valueName: 'SOURCE' },
    { id: 'level', long: 'level', kind: 'value', valueName: 'LEVEL', default: '' },
  ],
  positionals: optName(),
};

export const GRAMMAR: NodeSpec = {
  name: 'openshell',
  children: [
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
  ],
};
