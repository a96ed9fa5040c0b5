/** `nemoclaw <name> snapshot …` declarations; the work happens in src/usecases/snapshot.ts. */
import type { Command } from 'commander';
import { action, type CommandEnv } from './types.ts';

const usecases = () => import('../usecases/snapshot.ts');
const deps = async (env: CommandEnv) => (await usecases()).snapshotDepsOf(env.world());

export function registerSnapshot(program: Command, env: CommandEnv): void {
  const sandbox = () => env.sandboxName!;
  const snap = program
    .command('snapshot')
    .description("save, list, verify and restore the agent's state (memory, workspace, config)");
  snap
    .command('create')
    .description('download every state path and write a verified tar.gz snapshot')
    .option('--name <name>', 'a name to select it by (1-63 of A-Z a-z 0-9 . _ -)')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { name?: string; json?: boolean }) =>
        (await usecases()).snapshotCreate(env.ctx(), await deps(env), { sandbox: sandbox(), ...o }),
      ),
    );
  snap
    .command('list')
    .description('list snapshots, oldest first (v1 is the oldest)')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { json?: boolean }) =>
        (await usecases()).snapshotList(env.ctx(), { sandbox: sandbox(), ...o }),
      ),
    );
  snap
    .command('restore')
    .description('verify a snapshot, then replace the state paths in the sandbox with it')
    .argument('[selector]', 'an id, a name, vN or latest (default: latest)')
    .option('--yes', 'do not ask for confirmation')
    .action(
      action(env, async (selector: string | undefined, o: { yes?: boolean }) =>
        (await usecases()).snapshotRestore(env.ctx(), await deps(env), {
          sandbox: sandbox(),
          selector,
          ...o,
        }),
      ),
    );
  snap
    .command('verify')
    .description('recompute the archive and every file hash; never touches the sandbox')
    .argument('[selector]', 'an id, a name, vN or latest (default: latest)')
    .option('--json', 'print JSON')
    .action(
      action(env, async (selector: string | undefined, o: { json?: boolean }) =>
        (await usecases()).snapshotVerify(env.ctx(), { sandbox: sandbox(), selector, ...o }),
      ),
    );
  snap
    .command('delete')
    .description('delete one snapshot (archive and manifest)')
    .argument('<selector>', 'an id, a name or vN')
    .option('--yes', 'do not ask for confirmation')
    .action(
      action(env, async (selector: string, o: { yes?: boolean }) =>
        (await usecases()).snapshotDelete(env.ctx(), await deps(env), {
          sandbox: sandbox(),
          selector,
          ...o,
        }),
      ),
    );
}

export function registerBackupAll(program: Command, env: CommandEnv): void {
  program
    .command('backup-all')
    .description('take a snapshot of every registered sandbox')
    .option('--json', 'print JSON')
    .action(
      action(env, async (o: { json?: boolean }) =>
        (await usecases()).backupAll(env.ctx(), await deps(env), o),
      ),
    );
}
