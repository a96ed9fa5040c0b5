/** Operator tooling: `doctor`, `debug`, `gc`, `uninstall`. Declarations only. */
import { defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

export const DOCTOR = defineVerb({
  name: 'doctor',
  description: 'run every preflight check plus state consistency checks, each with its fix',
  options: [{ flags: '--json', description: 'print JSON' }],
  load: () => import('../usecases/doctor.ts'),
  run: (m, v: V<{ json?: boolean }>) => m.doctorCommand(v.ctx, v.o, v.world),
});

export const DEBUG = defineVerb({
  name: 'debug',
  description: 'write a redacted tar.gz bundle for a bug report, with a manifest',
  options: [
    {
      flags: '-q, --quick',
      description: 'skip the slow probes (doctor, container and sandbox logs)',
    },
    {
      flags: '--sandbox <name>',
      description: "add this sandbox's details, policy and recent logs",
    },
    {
      flags: '-o, --output <file>',
      description: 'where to write the bundle (default: ./nemoclaw-debug-<time>.tar.gz)',
    },
  ],
  load: () => import('../usecases/debug.ts'),
  run: (m, v: V<{ quick?: boolean; sandbox?: string; output?: string }>) =>
    m.debugCommand(v.ctx, v.world, v.o),
});

export const GC = defineVerb({
  name: 'gc',
  description: 'remove images and containers nemoclaw made that no registered sandbox uses',
  options: [{ flags: '--dry-run', description: 'list what would be removed; remove nothing' }],
  load: () => import('../usecases/gc.ts'),
  run: (m, v: V<{ dryRun?: boolean }>) => m.gcCommand(v.ctx, v.world, v.o),
});

export const UNINSTALL = defineVerb({
  name: 'uninstall',
  description: 'remove sandboxes, the gateway, images and state (snapshots are kept)',
  options: [
    { flags: '-y, --yes', description: 'do not ask for confirmation' },
    { flags: '--keep-openshell', description: 'keep the OpenShell CLI and its images' },
    { flags: '--delete-models', description: 'also remove downloaded local models' },
    {
      flags: '--destroy-user-data',
      description: 'also remove snapshots and the gateway state volume (credentials)',
    },
    { flags: '--dry-run', description: 'print what would be removed and kept; remove nothing' },
  ],
  load: () => import('../usecases/uninstall.ts'),
  run: (
    m,
    v: V<{
      yes?: boolean;
      keepOpenshell?: boolean;
      deleteModels?: boolean;
      destroyUserData?: boolean;
      dryRun?: boolean;
    }>,
  ) => m.uninstallCommand(v.ctx, v.world, v.o),
});

export const TOOLING: VerbDecl[] = [DOCTOR, DEBUG, GC, UNINSTALL];
