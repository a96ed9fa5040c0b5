/** `nemoclaw audit show [--since] [--json]` and `nemoclaw audit verify`. */
import { defineGroup, defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

const audit = () => import('../usecases/audit.ts');

export const AUDIT: VerbDecl[] = [
  defineGroup({
    name: 'audit',
    description: 'the operator audit trail: who changed what, tamper-evident',
    verbs: [
      defineVerb({
        name: 'show',
        description: 'list audit records',
        options: [
          {
            flags: '--since <when>',
            description: 'only records since an ISO date or a duration (30m, 12h, 7d)',
          },
          { flags: '--json', description: 'print JSON' },
        ],
        load: audit,
        run: (m, v: V<{ since?: string; json?: boolean }>) => m.auditShow(v.ctx, v.world, v.o),
      }),
      defineVerb({
        name: 'verify',
        description: 'check the hash chain; names the first record that breaks it (exit 1)',
        options: [{ flags: '--json', description: 'print JSON' }],
        load: audit,
        run: (m, v: V<{ json?: boolean }>) => m.auditVerify(v.ctx, v.world, v.o),
      }),
    ],
  }),
];
