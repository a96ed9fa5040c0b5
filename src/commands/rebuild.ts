/** `nemoclaw <name> rebuild`. */
import { defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

interface RebuildFlags {
  yes?: boolean;
  resume?: boolean;
  blueprint?: string;
  blueprintSha256?: string;
  rollback?: boolean;
  dryRun?: boolean;
}

export const REBUILD: VerbDecl[] = [
  defineVerb({
    name: 'rebuild',
    description:
      'snapshot, recreate from its blueprint (or --blueprint), restore, migrate, re-apply policies (journaled)',
    help: {
      usage: 'rebuild [--yes] [--resume] [--blueprint V] [--rollback] [--dry-run]',
      summary: 'recreate (or upgrade) the sandbox without losing its state',
    },
    options: [
      { flags: '-y, --yes', description: 'do not ask for confirmation' },
      { flags: '--resume', description: 'continue an interrupted rebuild from where it stopped' },
      {
        flags: '--blueprint <ref>',
        description: 'rebuild onto this blueprint: a version, folder or https URL',
      },
      {
        flags: '--blueprint-sha256 <digest>',
        description: 'sha256:<hex> pin of a blueprint archive URL',
      },
      {
        flags: '--rollback',
        description: 'go back to the blueprint and state before the last upgrade',
      },
      { flags: '--dry-run', description: 'print the plan and the blueprint diff; change nothing' },
    ],
    load: () => import('../usecases/rebuild.ts'),
    run: (m, v: V<RebuildFlags>) => m.rebuild(v.ctx, v.world, { sandbox: v.sandbox, ...v.o }),
  }),
];
