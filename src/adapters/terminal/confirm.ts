/**
 * A yes/no question on the terminal (stderr, so stdout stays for results). Use cases receive this
 * as an injected `confirm` and never decide themselves whether a terminal is there.
 */
import { NemoclawError } from '../../core/errors.ts';

export async function promptConfirm(message: string, defaultAnswer = false): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  try {
    return await confirm({ message, default: defaultAnswer }, { output: process.stderr });
  } catch (e) {
    // Ctrl-C at the prompt: a cancellation, not a crash.
    if ((e as Error)?.name === 'ExitPromptError') {
      throw new NemoclawError('canceled', 'Canceled at the prompt; nothing was changed.');
    }
    throw e;
  }
}
