/** Global `recover` (every sandbox, e.g. at boot) and `status` (gateways and every sandbox). */
import { defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

export const GLOBAL_OPS: VerbDecl[] = [
  defineVerb({
    name: 'recover',
    description: 'bring back the gateway, every registered sandbox and its forward (e.g. at boot)',
    options: [{ flags: '--dry-run', description: 'print what would be done; change nothing' }],
    load: () => import('../usecases/recover.ts'),
    run: (m, v: V<{ dryRun?: boolean }>) => m.recoverAll(v.ctx, v.world, v.o),
  }),
  defineVerb({
    name: 'status',
    description: 'gateway health and each sandbox’s phase (exit 1 if a gateway is down)',
    options: [{ flags: '--json', description: 'print JSON' }],
    load: () => import('../usecases/status-global.ts'),
    run: (m, v: V<{ json?: boolean }>) => m.globalStatus(v.ctx, v.world, v.o),
  }),
];
