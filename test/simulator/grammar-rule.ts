/**
 * `rule` (hidden, alias `rl`) and `workspace` (alias `ws`): v0.0.111
 * crates/openshell-cli/src/main.rs DraftCommands and WorkspaceCommands.
 */
import type { FlagSpec, NodeSpec } from './args.ts';
import { u32 } from './args.ts';

const name = [{ id: 'name', valueName: 'NAME' }];
const chunkId: FlagSpec = {
  id: 'chunk_id',
  long: 'chunk-id',
  kind: 'value',
  valueName: 'CHUNK_ID',
  required: true,
};
const leaf = (n: string, flags: FlagSpec[], simulated = true): NodeSpec => ({
  name: n,
  leaf: { flags, positionals: name },
  simulated,
});

export const rule: NodeSpec = {
  name: 'rule',
  aliases: ['rl'],
  children: [
    leaf('get', [{ id: 'status', long: 'status', kind: 'value', valueName: 'STATUS' }]),
    leaf('approve', [chunkId]),
    leaf('reject', [
      chunkId,
      { id: 'reason', long: 'reason', kind: 'value', valueName: 'REASON', default: '' },
    ]),
    leaf(
      'approve-all',
      [{ id: 'include_security_flagged', long: 'include-security-flagged', kind: 'bool' }],
      false,
    ),
    leaf('clear', [], false),
    leaf('history', []),
  ],
};

const wsLeaf = (n: string, leafSpec: NodeSpec['leaf'], simulated = true): NodeSpec => ({
  name: n,
  leaf: leafSpec,
  simulated,
});

export const workspace: NodeSpec = {
  name: 'workspace',
  aliases: ['ws'],
  children: [
    wsLeaf('create', {
      flags: [
        { id: 'name', long: 'name', kind: 'value', valueName: 'NAME', required: true },
        { id: 'label', long: 'label', kind: 'multi', valueName: 'KEY=VALUE' },
      ],
    }),
    wsLeaf('get', { flags: [], positionals: [{ id: 'name', valueName: 'NAME', required: true }] }),
    wsLeaf('list', {
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
        {
          id: 'label_selector',
          long: 'label-selector',
          kind: 'value',
          valueName: 'LABEL_SELECTOR',
        },
        {
          id: 'output',
          long: 'output',
          short: 'o',
          kind: 'value',
          valueName: 'OUTPUT',
          choices: ['table', 'yaml', 'json'],
          default: 'table',
        },
      ],
    }),
    wsLeaf('delete', {
      flags: [],
      positionals: [{ id: 'names', valueName: 'NAMES', multi: true, required: true }],
    }),
    {
      name: 'member',
      children: ['add', 'remove', 'list'].map((n) => wsLeaf(n, { flags: [] }, false)),
    },
  ],
};
