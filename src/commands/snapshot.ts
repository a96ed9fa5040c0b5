/** `nemoclaw <name> snapshot …` and `backup-all`; the work happens in src/usecases/snapshot.ts. */
import { defineGroup, defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

const snapshot = () => import('../usecases/snapshot.ts');
const selector = 'an id, a name, vN or latest (default: latest)';

export const SNAPSHOT: VerbDecl[] = [
  defineGroup({
    name: 'snapshot',
    description: "save, list, verify and restore the agent's state (memory, workspace, config)",
    help: {
      usage: 'snapshot <create|list|restore|…>',
      summary: "save, verify and restore the agent's memory",
    },
    verbs: [
      defineVerb({
        name: 'create',
        description: 'download every state path and write a verified tar.gz snapshot',
        options: [
          {
            flags: '--name <name>',
            description: 'a name to select it by (1-63 of A-Z a-z 0-9 . _ -)',
          },
          { flags: '--json', description: 'print JSON' },
        ],
        load: snapshot,
        run: (m, v: V<{ name?: string; json?: boolean }>) =>
          m.snapshotCreate(v.ctx, m.snapshotDepsOf(v.world), { sandbox: v.sandbox, ...v.o }),
      }),
      defineVerb({
        name: 'list',
        description: 'list snapshots, oldest first (v1 is the oldest)',
        options: [{ flags: '--json', description: 'print JSON' }],
        load: snapshot,
        run: (m, v: V<{ json?: boolean }>) =>
          m.snapshotList(v.ctx, v.world, { sandbox: v.sandbox, ...v.o }),
      }),
      defineVerb({
        name: 'restore',
        description: 'verify a snapshot, then replace the state paths in the sandbox with it',
        args: [{ name: '[selector]', description: selector }],
        options: [{ flags: '-y, --yes', description: 'do not ask for confirmation' }],
        load: snapshot,
        run: (m, v: V<{ yes?: boolean }, [string | undefined]>) =>
          m.snapshotRestore(v.ctx, m.snapshotDepsOf(v.world), {
            sandbox: v.sandbox,
            selector: v.args[0],
            ...v.o,
          }),
      }),
      defineVerb({
        name: 'verify',
        description: 'recompute the archive and every file hash; never touches the sandbox',
        args: [{ name: '[selector]', description: selector }],
        options: [{ flags: '--json', description: 'print JSON' }],
        load: snapshot,
        run: (m, v: V<{ json?: boolean }, [string | undefined]>) =>
          m.snapshotVerify(v.ctx, v.world, { sandbox: v.sandbox, selector: v.args[0], ...v.o }),
      }),
      defineVerb({
        name: 'delete',
        description: 'delete one snapshot (archive and manifest)',
        args: [{ name: '<selector>', description: 'an id, a name or vN' }],
        options: [{ flags: '-y, --yes', description: 'do not ask for confirmation' }],
        load: snapshot,
        run: (m, v: V<{ yes?: boolean }, [string]>) =>
          m.snapshotDelete(v.ctx, m.snapshotDepsOf(v.world), {
            sandbox: v.sandbox,
            selector: v.args[0],
            ...v.o,
          }),
      }),
    ],
  }),
];

export const BACKUP_ALL = defineVerb({
  name: 'backup-all',
  description: 'take a snapshot of every registered sandbox',
  options: [{ flags: '--json', description: 'print JSON' }],
  load: snapshot,
  run: (m, v: V<{ json?: boolean }>) => m.backupAll(v.ctx, m.snapshotDepsOf(v.world), v.o),
});
