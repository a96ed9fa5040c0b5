/** `nemoclaw config export [<name>…]` and `nemoclaw apply -f FILE`: declarative configuration. */
import { defineGroup, defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

export const FLEET: VerbDecl[] = [
  defineGroup({
    name: 'config',
    description: 'declarative configuration: export',
    verbs: [
      defineVerb({
        name: 'export',
        description:
          'write the secret-free configuration of sandboxes as YAML (all when none named)',
        args: [{ name: '[names...]', description: 'sandboxes to export' }],
        options: [{ flags: '--out <file>', description: 'write to this file instead of stdout' }],
        load: () => import('../usecases/config-export.ts'),
        run: (m, v: V<{ out?: string }, [string[]]>) =>
          m.configExport(v.ctx, v.world, { names: v.args[0], out: v.o.out }),
      }),
    ],
  }),
  defineVerb({
    name: 'apply',
    description:
      'converge the sandboxes to a configuration file: create, update in place, recreate',
    options: [
      {
        flags: '-f, --file <file>',
        description: 'the configuration (from `config export`)',
        required: true,
      },
      { flags: '--dry-run', description: 'print the plan; change nothing' },
      { flags: '--json', description: 'print the plan (or the applied changes) as JSON' },
      { flags: '-y, --yes', description: 'do not ask for confirmation' },
      { flags: '--prune', description: 'also destroy registered sandboxes the file does not list' },
    ],
    load: () => import('../usecases/apply.ts'),
    run: (
      m,
      v: V<{ file: string; dryRun?: boolean; json?: boolean; yes?: boolean; prune?: boolean }>,
    ) =>
      m.applyFile(
        v.ctx,
        {
          ops: v.world,
          onboard: async (c, flags) =>
            (await import('../usecases/onboard/command.ts')).onboardCommand(c, v.world, flags),
        },
        v.o,
      ),
  }),
];
