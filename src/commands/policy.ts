/** `nemoclaw <name> policy-add | policy-remove | policy-list | policy-get | policy-check`. */
import { defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

const change = () => import('../usecases/policy-change.ts');
const view = () => import('../usecases/policy-view.ts');
const shared = () => import('../usecases/policy-shared.ts');
const deps = async (v: V<unknown, unknown[]>) => (await shared()).policyDepsOf(v.world, v.sandbox);

export const POLICY: VerbDecl[] = [
  defineVerb({
    name: 'policy-add',
    description: 'add a network policy preset (or a custom policy file) to the sandbox',
    help: {
      usage: 'policy-add <preset>|--from-file F',
      summary: 'add a network policy preset or custom policy',
    },
    args: [{ name: '[preset]', description: 'a preset name (see policy-list)' }],
    options: [
      {
        flags: '--from-file <file>',
        description: 'a custom policy: network_policies entries in YAML',
      },
      { flags: '-y, --yes', description: 'do not ask for confirmation' },
      {
        flags: '--dry-run',
        description: 'print the change to the effective policy; change nothing',
      },
    ],
    load: change,
    run: async (
      m,
      v: V<{ fromFile?: string; yes?: boolean; dryRun?: boolean }, [string | undefined]>,
    ) => m.policyAdd(v.ctx, await deps(v), { sandbox: v.sandbox, preset: v.args[0], ...v.o }),
  }),
  defineVerb({
    name: 'policy-remove',
    description: 'remove a preset or custom policy from the sandbox',
    help: { usage: 'policy-remove <preset>', summary: 'remove a preset or custom policy' },
    args: [{ name: '<preset>', description: 'a preset or custom policy name' }],
    options: [
      { flags: '-y, --yes', description: 'do not ask for confirmation' },
      {
        flags: '--dry-run',
        description: 'print the change to the effective policy; change nothing',
      },
    ],
    load: change,
    run: async (m, v: V<{ yes?: boolean; dryRun?: boolean }, [string]>) =>
      m.policyRemove(v.ctx, await deps(v), { sandbox: v.sandbox, name: v.args[0], ...v.o }),
  }),
  defineVerb({
    name: 'policy-list',
    description: 'list presets: applied (●) or not (○)',
    help: { usage: 'policy-list [--json]', summary: 'presets, applied (●) or not (○)' },
    options: [{ flags: '--json', description: 'print JSON' }],
    load: view,
    run: async (m, v: V<{ json?: boolean }>) =>
      m.policyList(v.ctx, await deps(v), { sandbox: v.sandbox, ...v.o }),
  }),
  defineVerb({
    name: 'policy-get',
    description: 'print the effective policy',
    help: { usage: 'policy-get [--raw]', summary: 'print the effective policy' },
    options: [{ flags: '--raw', description: 'only the YAML, as OpenShell returns it' }],
    load: view,
    run: async (m, v: V<{ raw?: boolean }>) =>
      m.policyGet(v.ctx, await deps(v), { sandbox: v.sandbox, ...v.o }),
  }),
  defineVerb({
    name: 'policy-check',
    description: 'explain whether a request is allowed by the effective policy (exit 1 if denied)',
    help: {
      usage: 'policy-check <url>',
      summary: 'explain whether a request is allowed, and by which rule',
    },
    args: [{ name: '<url>', description: 'e.g. https://api.github.com/repos/o/r' }],
    options: [
      { flags: '--method <method>', description: 'HTTP method', default: 'GET' },
      {
        flags: '--binary <path>',
        description: 'the executable making the request, e.g. /usr/bin/curl',
      },
      { flags: '--json', description: 'print JSON' },
    ],
    load: view,
    run: async (m, v: V<{ method?: string; binary?: string; json?: boolean }, [string]>) =>
      m.policyCheck(v.ctx, await deps(v), { sandbox: v.sandbox, url: v.args[0], ...v.o }),
  }),
];
