/**
 * The wizard's questions, as an interface so use cases can be driven by a script in tests and by
 * @inquirer/prompts on a real terminal (loaded only when a question is asked).
 */
import { NemoclawError } from '../../core/errors.ts';

export interface Choice<T extends string> {
  value: T;
  name: string;
  description?: string;
}

export interface Prompter {
  select<T extends string>(message: string, choices: Choice<T>[], defaultValue?: T): Promise<T>;
  input(
    message: string,
    o?: {
      default?: string;
      validate?: (v: string) => string | true;
      /** Shown beside the text while it is typed (the problem so far), before Enter. */
      liveHint?: (v: string) => string | undefined;
    },
  ): Promise<string>;
  /** Hidden input; the value never echoes. */
  password(message: string, o?: { validate?: (v: string) => string | true }): Promise<string>;
  confirm(message: string, defaultValue?: boolean): Promise<boolean>;
  checkbox<T extends string>(
    message: string,
    choices: (Choice<T> & { checked?: boolean })[],
  ): Promise<T[]>;
  /**
   * A list filtered as you type that also takes free text (the model an endpoint serves). Optional:
   * a prompter without it gets an input prompt instead (see `searchOrInput`).
   */
  search?(
    message: string,
    o: {
      source: (term: string | undefined) => Choice<string>[];
      default?: string;
      validate?: (v: string) => string | true;
    },
  ): Promise<string>;
}

/** Ctrl-C at a prompt: a `canceled` error, so the composition root exits 130. */
export class PromptCanceled extends NemoclawError {
  constructor() {
    super('canceled', 'Canceled at a prompt.');
    this.name = 'PromptCanceled';
  }
}

async function guard<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if ((e as Error)?.name === 'ExitPromptError') throw new PromptCanceled();
    throw e;
  }
}

export function inquirerPrompter(): Prompter {
  const load = () => import('@inquirer/prompts');
  return {
    async select(message, choices, defaultValue) {
      const { select } = await load();
      return guard(select({ message, choices, default: defaultValue, pageSize: 12 }));
    },
    async input(message, o = {}) {
      const { input } = await load();
      const hint = o.liveHint;
      return guard(
        input({
          message,
          default: o.default,
          validate: o.validate,
          // As the user types: the text, then what is wrong with it so far (dimmed), never on the
          // final line.
          transformer: hint
            ? (v: string, { isFinal }: { isFinal: boolean }) => {
                const why = isFinal || !v ? undefined : hint(v);
                return why ? `${v}  \u001b[2m← ${why}\u001b[22m` : v;
              }
            : undefined,
        }),
      );
    },
    async password(message, o = {}) {
      const { password } = await load();
      return guard(password({ message, mask: '*', validate: o.validate }));
    },
    async confirm(message, defaultValue = false) {
      const { confirm } = await load();
      return guard(confirm({ message, default: defaultValue }));
    },
    async checkbox(message, choices) {
      const { checkbox } = await load();
      return guard(checkbox({ message, choices, pageSize: 15 }));
    },
    async search(message, o) {
      const { search } = await load();
      return guard(
        search<string>({
          message,
          pageSize: 12,
          source: (term) => o.source(term),
          validate: o.validate,
        }),
      );
    },
  };
}
