/**
 * A yes/no question on the terminal (stderr, so stdout stays for results). Use cases receive a
 * `confirm` as a dependency and never decide themselves whether a terminal is there.
 * @inquirer/prompts loads only when a question is asked.
 */
import { NemoclawError } from '../../core/errors.ts';

export type Confirm = (message: string) => Promise<boolean>;

/** Ctrl-C at the prompt is a cancellation (exit 130), as everywhere (core/consent.ts). */
export const terminalConfirm: Confirm = (message) => promptConfirm(message);

/** Ctrl-C at the prompt is a cancellation (exit 130), not a "no". */
export async function promptConfirm(message: string, defaultAnswer = false): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  try {
    return await confirm({ message, default: defaultAnswer }, { output: process.stderr });
  } catch (e) {
    if ((e as Error)?.name === 'ExitPromptError') {
      throw new NemoclawError('canceled', 'Canceled at the prompt; nothing was changed.');
    }
    throw e;
  }
}
