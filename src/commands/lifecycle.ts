/**
 * Lifecycle commands (issue 15): `<name> stop|start`, global `stop --all|start --all`,
 * `upgrade-sandboxes` and `profiles list`.
 */
import { UsageError } from '../core/errors.ts';
import { defineGroup, defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

const lifecycle = () => import('../usecases/lifecycle.ts');

/** What stop and start say; both declarations of each verb are built from this table. */
const VERBS = {
  stop: {
    does: 'stop the sandbox (OpenShell sandbox stop): state kept, dashboard forward down',
    summary: 'stop the sandbox; its state is kept',
  },
  start: {
    does: 'start the stopped sandbox, wait for Ready, bring its dashboard forward back',
    summary: 'start a stopped sandbox and its dashboard forward',
  },
} as const;
const verbs = Object.keys(VERBS) as (keyof typeof VERBS)[];
const dryRun = (what: string) => ({
  flags: '--dry-run',
  description: `print ${what}; change nothing`,
});

/** `<name> stop|start`. */
export const LIFECYCLE: VerbDecl[] = verbs.map((verb) =>
  defineVerb({
    name: verb,
    description: VERBS[verb].does,
    help: { usage: `${verb} [--dry-run]`, summary: VERBS[verb].summary },
    options: [dryRun('the plan')],
    load: lifecycle,
    run: (m, v: V<{ dryRun?: boolean }>) =>
      m.sandboxLifecycle(v.ctx, v.world, { sandbox: v.sandbox, verb, dryRun: v.o.dryRun }),
  }),
);

/** `stop --all|start --all`: without --all (or a sandbox name) a usage error. */
export const LIFECYCLE_GLOBAL: VerbDecl[] = verbs.map((verb) =>
  defineVerb({
    name: verb,
    description: `${verb} every registered sandbox (--all), e.g. around a host reboot`,
    options: [{ flags: '--all', description: 'every registered sandbox' }, dryRun('the plans')],
    load: lifecycle,
    run: (m, v: V<{ all?: boolean; dryRun?: boolean }>) => {
      if (!v.o.all) {
        throw new UsageError(`\`nemoclaw ${verb}\` needs --all, or a sandbox name.`, {
          hint: `Run: nemoclaw <name> ${verb}   or   nemoclaw ${verb} --all`,
        });
      }
      return m.lifecycleAll(v.ctx, v.world, { verb, dryRun: v.o.dryRun });
    },
  }),
);

export const UPGRADE_AND_PROFILES: VerbDecl[] = [
  defineVerb({
    name: 'upgrade-sandboxes',
    description: 'list sandboxes behind the newest blueprint and why; rebuild each onto it',
    options: [
      { flags: '--check', description: 'only list them; change nothing' },
      { flags: '-y, --yes', description: 'do not ask for confirmation' },
      {
        flags: '--dry-run',
        description: 'print each rebuild plan with its blueprint diff; change nothing',
      },
    ],
    load: () => import('../usecases/upgrade.ts'),
    run: (m, v: V<{ check?: boolean; yes?: boolean; dryRun?: boolean }>) =>
      m.upgradeSandboxes(v.ctx, v.world, v.o),
  }),
  defineGroup({
    name: 'profiles',
    description: 'blueprint profiles: an inference profile and the sandbox resources',
    verbs: [
      defineVerb({
        name: 'list',
        description: 'the profiles of the newest packaged blueprint (or --blueprint)',
        options: [
          { flags: '--json', description: 'print JSON' },
          { flags: '--blueprint <ref>', description: 'a blueprint version, folder or https URL' },
          {
            flags: '--blueprint-sha256 <digest>',
            description: 'sha256:<hex> pin of a blueprint archive URL',
          },
        ],
        load: () => import('../usecases/profiles.ts'),
        run: (m, v: V<{ json?: boolean; blueprint?: string; blueprintSha256?: string }>) =>
          m.profilesList(v.ctx, v.world, v.o),
      }),
    ],
  }),
];
