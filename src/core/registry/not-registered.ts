/**
 * The one "sandbox not registered" error: the same message, hint and exit code (2: the user named
 * something that is not there; nothing was changed) wherever a sandbox name is looked up.
 */
import { ExitCode, NemoclawError } from '../errors.ts';
import { didYouMean } from '../names.ts';

export function notRegisteredError(
  name: string,
  registered: Iterable<string>,
  /** The command to suggest for a close name, e.g. (n) => `nemoclaw use ${n}`. */
  retry: (close: string) => string = (n) => n,
): NemoclawError {
  const names = [...registered].sort();
  const close = didYouMean(name, names);
  return new NemoclawError('not-found', `Sandbox ${name} is not registered.`, {
    exitCode: ExitCode.usage,
    hint: close
      ? `Did you mean ${retry(close)}?`
      : names.length > 0
        ? 'See the registered sandboxes with `nemoclaw list`.'
        : 'No sandboxes are registered yet; run `nemoclaw onboard`.',
  });
}
