/** Global: `use <name>`, `inference get|set`, `credentials list|add|reset`. */
import { defineGroup, defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

const settings = () => import('../usecases/settings.ts');
const credentials = () => import('../usecases/credentials.ts');

interface SetFlags {
  provider: string;
  model: string;
  sandbox?: string;
  endpointUrl?: string;
  verify?: boolean;
  rebuild?: boolean;
}

export const SETTINGS: VerbDecl[] = [
  defineVerb({
    name: 'use',
    description: 'set the default sandbox',
    args: [{ name: '<name>', description: 'a registered sandbox' }],
    load: settings,
    run: (m, v: V<object, [string]>) => m.useSandbox(v.ctx, { name: v.args[0] }),
  }),
  defineGroup({
    name: 'inference',
    description:
      'the inference route (one per sandbox workspace; older sandboxes share the gateway’s)',
    verbs: [
      defineVerb({
        name: 'get',
        description: 'print the route',
        options: [
          { flags: '--json', description: 'print JSON' },
          {
            flags: '--sandbox <name>',
            description: 'the route of this sandbox (default: the default sandbox’s)',
          },
        ],
        load: settings,
        run: (m, v: V<{ json?: boolean; sandbox?: string }>) => m.inferenceGet(v.ctx, v.world, v.o),
      }),
      defineVerb({
        name: 'set',
        description:
          'point a sandbox’s route at a provider/model, registering the provider if needed (affects only the sandboxes in its workspace)',
        options: [
          {
            flags: '--provider <provider>',
            description: 'a provider key (build, openai, …) or OpenShell name',
            required: true,
          },
          { flags: '--model <model>', description: 'the model id', required: true },
          {
            flags: '--sandbox <name>',
            description: 'the route of this sandbox (default: the default sandbox’s)',
          },
          { flags: '--endpoint-url <url>', description: 'the base URL (compatible endpoints)' },
          { flags: '--no-verify', description: 'skip the validation request' },
          {
            flags: '--rebuild',
            description: 'rebuild the affected sandboxes so their agent config names the model',
          },
        ],
        load: settings,
        run: (m, v: V<SetFlags>) => m.inferenceSet(v.ctx, v.world, v.o),
      }),
    ],
  }),
  defineGroup({
    name: 'credentials',
    description: 'provider credentials in the gateway (names only, never values)',
    verbs: [
      defineVerb({
        name: 'list',
        description:
          'providers and their credential key names, in every workspace the sandboxes use',
        options: [
          { flags: '--json', description: 'print JSON' },
          { flags: '--sandbox <name>', description: 'only the workspace of this sandbox' },
        ],
        load: credentials,
        run: (m, v: V<{ json?: boolean; sandbox?: string }>) =>
          m.credentialsList(v.ctx, v.world, v.o),
      }),
      defineVerb({
        name: 'add',
        description:
          'register a provider in the gateway without onboarding (key from its env variable)',
        args: [
          {
            name: '<provider>',
            description: 'a provider key (build, openai, anthropic, gemini, custom, …)',
          },
        ],
        options: [
          {
            flags: '--model <model>',
            description: 'the model the validation request asks (default: the provider’s)',
          },
          { flags: '--endpoint-url <url>', description: 'the base URL (compatible endpoints)' },
          { flags: '--no-verify', description: 'skip the validation request' },
          {
            flags: '--sandbox <name>',
            description: 'register it in this sandbox’s workspace (default: the default sandbox’s)',
          },
        ],
        load: () => import('../usecases/inference-switch.ts'),
        run: (
          m,
          v: V<
            { model?: string; endpointUrl?: string; verify?: boolean; sandbox?: string },
            [string]
          >,
        ) => m.credentialsAdd(v.ctx, v.world, { provider: v.args[0], ...v.o }),
      }),
      defineVerb({
        name: 'reset',
        description:
          'replace a provider’s stored key in every workspace that holds it (from its env variable or a hidden prompt)',
        args: [
          {
            name: '<provider>',
            description: 'a provider key (build, openai, …) or OpenShell name',
          },
        ],
        options: [{ flags: '--sandbox <name>', description: 'only the workspace of this sandbox' }],
        load: credentials,
        run: (m, v: V<{ sandbox?: string }, [string]>) =>
          m.credentialsReset(v.ctx, v.world, { provider: v.args[0], ...v.o }),
      }),
    ],
  }),
];
