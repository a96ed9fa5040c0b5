/** Choosing among many answers with whatever prompt the prompter offers (pure: no I/O here). */
import type { Choice, Prompter } from '../adapters/terminal/prompt.ts';

/** The searchable prompt where the prompter has one, otherwise the plain input prompt. */
export function searchOrInput(
  p: Prompter,
  message: string,
  o: {
    source: (term: string | undefined) => Choice<string>[];
    default?: string;
    validate?: (v: string) => string | true;
  },
): Promise<string> {
  if (p.search) return p.search(message, o);
  return p.input(message, { default: o.default, validate: o.validate });
}
