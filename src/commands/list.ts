/** `nemoclaw list [--json]` (src/cli.ts answers the plain forms before commander loads). */
import { defineVerb, type Invocation as V } from './verb.ts';

export const LIST = defineVerb({
  name: 'list',
  description: 'list registered sandboxes (default marked with *)',
  options: [{ flags: '--json', description: 'print JSON' }],
  load: () => import('../usecases/list.ts'),
  run: (m, v: V<{ json?: boolean }>) => m.listSandboxes(v.ctx, v.world, v.o),
});
