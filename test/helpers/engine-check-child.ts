// Run in a child process (possibly as another user): prints the preflight engine check as JSON.
import { connectEngine, pingEngine } from '../../src/adapters/docker/engine.ts';
import { engineReachable } from '../../src/core/preflight.ts';
import type { NemoclawError } from '../../src/core/errors.ts';

const engine = await connectEngine(process.env);
try {
  await pingEngine(engine, 3000);
  process.stdout.write(JSON.stringify(engineReachable({ ok: true, where: 'x' })));
} catch (e) {
  process.stdout.write(JSON.stringify(engineReachable({ ok: false, error: e as NemoclawError })));
}
