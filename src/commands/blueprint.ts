/** `nemoclaw blueprint list | verify [version] | show [version]`. */
import { defineGroup, defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

const blueprint = () => import('../usecases/blueprint.ts');

export const BLUEPRINT: VerbDecl[] = [
  defineGroup({
    name: 'blueprint',
    description: 'list, verify and show the versioned sandbox blueprints',
    verbs: [
      defineVerb({
        name: 'list',
        description: 'list packaged blueprint versions and their digests',
        options: [{ flags: '--json', description: 'print JSON' }],
        load: blueprint,
        run: (m, v: V<{ json?: boolean }>) => m.blueprintList(v.ctx, v.world, v.o),
      }),
      defineVerb({
        name: 'verify',
        description: 'recompute a blueprint digest and compare it with the pinned one',
        args: [
          {
            name: '[version]',
            description: 'a packaged version, a folder, or an https URL (default: newest)',
          },
        ],
        options: [
          {
            flags: '--blueprint-sha256 <digest>',
            description: 'sha256:<hex> pin of a blueprint archive URL',
          },
          { flags: '--json', description: 'print JSON' },
        ],
        load: blueprint,
        run: (m, v: V<{ json?: boolean; blueprintSha256?: string }, [string | undefined]>) =>
          m.blueprintVerify(v.ctx, v.world, { ...v.o, spec: v.args[0] }),
      }),
      defineVerb({
        name: 'show',
        description: 'print a blueprint',
        args: [
          { name: '[version]', description: 'a packaged version or a folder (default: newest)' },
        ],
        options: [{ flags: '--json', description: 'print JSON' }],
        load: blueprint,
        run: (m, v: V<{ json?: boolean }, [string | undefined]>) =>
          m.blueprintShow(v.ctx, v.world, { ...v.o, spec: v.args[0] }),
      }),
    ],
  }),
];
