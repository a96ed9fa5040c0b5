/**
 * `rule` (hidden, alias `rl`) and `workspace` (alias `ws`): v0.0.111
 * crates/openshell-cli/src/main.rs DraftCommands and WorkspaceCommands.
 */
import type { FlagSpec } from './args.ts';
import {
  bool,
  leaf,
  multi,
  node,
  optName,
  output,
  page,
  req,
  required,
  unsimulated,
  value,
} from './grammar-kit.ts';

// Every draft command takes the sandbox NAME (optional: the last-used one).
const draft = (name: string, flags: FlagSpec[]) => leaf(name, { flags, positionals: optName() });
const chunkId = required('chunk-id');

export const rule = node(
  'rule',
  [
    draft('get', [value('status')]),
    draft('approve', [chunkId]),
    draft('reject', [chunkId, value('reason', { default: '' })]),
    unsimulated('approve-all', undefined, [bool('include-security-flagged')]),
    unsimulated('clear'),
    draft('history', []),
  ],
  ['rl'],
);

export const workspace = node(
  'workspace',
  [
    leaf('create', { flags: [required('name'), multi('label', { valueName: 'KEY=VALUE' })] }),
    leaf('get', { flags: [], positionals: [req('name')] }),
    leaf('list', { flags: [...page('100'), value('label-selector'), output()] }),
    leaf('delete', { flags: [], positionals: [req('names', { multi: true })] }),
    node(
      'member',
      ['add', 'remove', 'list'].map((n) => unsimulated(n)),
    ),
  ],
  ['ws'],
);
