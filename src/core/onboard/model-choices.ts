/**
 * The searchable model prompt's list (issue 19): the models an endpoint serves, filtered by what
 * was typed, with the typed text itself offered last when no served model has exactly that id, so a
 * model the endpoint does not list can still be entered. Pure.
 */
export interface ModelChoice {
  value: string;
  name: string;
}

export const MAX_MODEL_CHOICES = 200;

export function modelChoices(
  served: readonly string[],
  term: string | undefined,
  o: { default?: string; valid?: (v: string) => boolean } = {},
): ModelChoice[] {
  const t = (term ?? '').trim();
  const needle = t.toLowerCase();
  const ordered =
    o.default && served.includes(o.default)
      ? [o.default, ...served.filter((m) => m !== o.default)]
      : [...served];
  const hits = ordered
    .filter((m) => m.toLowerCase().includes(needle))
    .slice(0, MAX_MODEL_CHOICES)
    .map((m) => ({ value: m, name: m === o.default ? `${m}  (default)` : m }));
  if (!t && o.default && !served.includes(o.default)) {
    hits.unshift({ value: o.default, name: `${o.default}  (default, not listed by the endpoint)` });
  }
  if (t && !served.includes(t) && (o.valid?.(t) ?? true)) {
    hits.push({ value: t, name: `${t}  (use this name; the endpoint does not list it)` });
  }
  return hits;
}
