/** `nemoclaw <name> inference get|set`: the route this sandbox uses (global: commands/settings.ts). */
import { defineGroup, defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

const settings = () => import('../usecases/settings.ts');

export const SANDBOX_INFERENCE: VerbDecl[] = [
  defineGroup({
    name: 'inference',
    description: 'the inference route of this sandbox’s gateway',
    help: { usage: 'inference get|set', summary: 'the inference route this sandbox uses' },
    verbs: [
      defineVerb({
        name: 'get',
        description: '',
        options: [{ flags: '--json', description: 'print JSON' }],
        load: settings,
        run: (m, v: V<{ json?: boolean }>) =>
          m.inferenceGet(v.ctx, v.world, { sandbox: v.sandbox, ...v.o }),
      }),
      defineVerb({
        name: 'set',
        description: '',
        options: [
          {
            flags: '--provider <provider>',
            description: 'a provider key (build, openai, …) or OpenShell name',
            required: true,
          },
          { flags: '--model <model>', description: 'the model id', required: true },
          { flags: '--endpoint-url <url>', description: 'the base URL (compatible endpoints)' },
          { flags: '--no-verify', description: 'skip the validation request' },
          {
            flags: '--rebuild',
            description: 'rebuild the affected sandboxes so their agent config names the model',
          },
        ],
        load: settings,
        run: (
          m,
          v: V<{
            provider: string;
            model: string;
            endpointUrl?: string;
            verify?: boolean;
            rebuild?: boolean;
          }>,
        ) => m.inferenceSet(v.ctx, v.world, { sandbox: v.sandbox, ...v.o }),
      }),
    ],
  }),
];
