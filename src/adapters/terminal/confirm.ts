/** A yes/no question on the terminal. @inquirer/prompts loads only when a question is asked. */
export type Confirm = (message: string) => Promise<boolean>;

export const terminalConfirm: Confirm = async (message) => {
  const { confirm } = await import('@inquirer/prompts');
  try {
    return await confirm({ message, default: false });
  } catch (e) {
    // Ctrl-C at the prompt: treat as "no" rather than a crash.
    if ((e as Error)?.name === 'ExitPromptError') return false;
    throw e;
  }
};
