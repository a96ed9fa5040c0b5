/** `nemoclaw <name> policy requests | approve <id> | reject <id> | history`. */
import { defineGroup, defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

const requests = () => import('../usecases/policy-requests.ts');
type M = Awaited<ReturnType<typeof requests>>;
const deps = (m: M, v: V<unknown, unknown[]>) => m.requestDepsOf(v.world, v.sandbox);

export const POLICY_REQUESTS: VerbDecl[] = [
  defineGroup({
    name: 'policy',
    description: 'review requests the sandbox blocked: requests, approve, reject, history',
    help: {
      usage: 'policy <requests|approve|reject|history>',
      summary: 'review requests the sandbox blocked; approve or reject them',
    },
    verbs: [
      defineVerb({
        name: 'requests',
        description: 'list the requests OpenShell blocked that await review',
        options: [
          { flags: '--all', description: 'also approved and rejected ones' },
          { flags: '--json', description: 'print JSON' },
        ],
        load: requests,
        run: (m, v: V<{ json?: boolean; all?: boolean }>) =>
          m.policyRequests(v.ctx, deps(m, v), { sandbox: v.sandbox, ...v.o }),
      }),
      defineVerb({
        name: 'approve',
        description:
          'allow a blocked request for this sandbox (until it is rebuilt, or with --persist for good)',
        args: [
          {
            name: '<id>',
            description: 'the request id (or a unique prefix) from `policy requests`',
          },
        ],
        options: [
          { flags: '-y, --yes', description: 'do not ask for confirmation' },
          {
            flags: '--persist',
            description: 'also record it as a custom policy that a rebuild applies again',
          },
          { flags: '--dry-run', description: 'print the plan; change nothing' },
        ],
        load: requests,
        run: (m, v: V<{ yes?: boolean; persist?: boolean; dryRun?: boolean }, [string]>) =>
          m.policyApprove(v.ctx, deps(m, v), { sandbox: v.sandbox, id: v.args[0], ...v.o }),
      }),
      defineVerb({
        name: 'reject',
        description: 'reject a blocked request (an approved one is removed from the policy)',
        args: [{ name: '<id>', description: 'the request id (or a unique prefix)' }],
        options: [
          { flags: '--reason <text>', description: 'why; OpenShell passes it back to the agent' },
        ],
        load: requests,
        run: (m, v: V<{ reason?: string }, [string]>) =>
          m.policyReject(v.ctx, deps(m, v), { sandbox: v.sandbox, id: v.args[0], ...v.o }),
      }),
      defineVerb({
        name: 'history',
        description: 'proposals, approvals and rejections for this sandbox',
        options: [{ flags: '--json', description: 'print JSON' }],
        load: requests,
        run: (m, v: V<{ json?: boolean }>) =>
          m.policyHistory(v.ctx, deps(m, v), { sandbox: v.sandbox, ...v.o }),
      }),
    ],
  }),
];
