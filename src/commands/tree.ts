/**
 * The command tree as data, read from the commander program itself: the single source for shell
 * completion and for docs/commands.md, so neither can drift from what the CLI really accepts.
 */
import type { Command, Option } from 'commander';
import type { CommandTree, TreeNode } from '../core/completion.ts';

const isHidden = (c: Command) => Boolean((c as unknown as { _hidden?: boolean })._hidden);

export function visibleCommands(c: Command): Command[] {
  return c.commands.filter((x) => !isHidden(x) && x.name() !== 'help');
}

function flags(options: readonly Option[]): string[] {
  return options
    .filter((o) => !o.hidden)
    .flatMap((o) => [o.short, o.long].filter((f): f is string => Boolean(f)));
}

function node(c: Command): TreeNode {
  const first = c.registeredArguments[0];
  return {
    name: c.name(),
    description: c.description(),
    options: flags(c.options).filter((f) => f !== '-h' && f !== '--help'),
    choices: first?.argChoices ? [...first.argChoices] : [],
    children: visibleCommands(c).map(node),
  };
}

export function commandTree(root: Command, sandbox: Command): CommandTree {
  return {
    program: root.name(),
    globalOptions: flags(root.options).filter(
      (f) => !['-V', '--version', '-h', '--help'].includes(f),
    ),
    commands: visibleCommands(root).map(node),
    sandboxVerbs: visibleCommands(sandbox).map(node),
  };
}
