/** `nemoclaw <name> sessions export [--out DIR|--format tar] [--since D]`. */
import { defineGroup, defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

export const SESSIONS: VerbDecl[] = [
  defineGroup({
    name: 'sessions',
    description: "the agent's session logs",
    help: {
      usage: 'sessions export [--out DIR] [--format tar]',
      summary: "export the agent's session logs, redacted, with a hash manifest",
    },
    verbs: [
      defineVerb({
        name: 'export',
        description:
          'copy the session logs out of the sandbox (redacted on the host side) with a manifest of SHA-256 hashes',
        options: [
          {
            flags: '--out <path>',
            description: 'the folder (or .tar.gz with --format tar) to write',
          },
          { flags: '--format <format>', description: 'dir (default) or tar' },
          {
            flags: '--since <when>',
            description: 'only sessions changed since an ISO date or a duration (12h, 7d)',
          },
        ],
        load: () => import('../usecases/sessions-export.ts'),
        run: async (m, v: V<{ out?: string; format?: string; since?: string }>) =>
          m.sessionsExport(
            v.ctx,
            await v.world.sandboxClient(v.sandbox),
            { sandbox: v.sandbox, ...v.o },
            v.world,
          ),
      }),
    ],
  }),
];
