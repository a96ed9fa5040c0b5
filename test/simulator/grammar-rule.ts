/** `rule` (hidden, alias `rl`): v0.0.111 crates/openshell-cli/src/main.rs DraftCommands. */
import type { FlagSpec, NodeSpec } from './args.ts';

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
