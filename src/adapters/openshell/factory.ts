/**
 * Where commands get their OpenShell client. The execa implementation (client.ts) is written
 * separately; until it is wired in here, commands that need OpenShell fail with a clear error
 * and use cases are exercised with a client passed in by tests.
 */
import type { Context } from '../../context.ts';
import { NemoclawError } from '../../core/errors.ts';
import type { OpenshellClient } from './types.ts';

export async function openshellClient(_ctx: Context): Promise<OpenshellClient> {
  throw new NemoclawError('unavailable', 'The OpenShell client is not wired into this build yet.', {
    hint: 'This is a development build; use a build that includes src/adapters/openshell/client.ts.',
  });
}
