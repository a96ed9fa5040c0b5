/**
 * Bounds on every input nemoclaw reads from a user or a network (issue 18 item 4): above them a
 * file is refused with a usage error before it is parsed, so a hostile or mistaken input cannot
 * make nemoclaw use gigabytes of memory or run for minutes.
 */
export const INPUT_LIMITS = {
  /** A policy file (`policy-add --from-file`), a preset or a tier file. */
  policyFileBytes: 1024 * 1024,
  /** A skill's SKILL.md. */
  skillFileBytes: 1024 * 1024,
  /** A blueprint's YAML files (blueprint.yaml, index.yaml). */
  blueprintFileBytes: 1024 * 1024,
  /** Any YAML text parsed as a policy. */
  yamlTextBytes: 4 * 1024 * 1024,
  /** YAML aliases (`*a`) expanded in one document: an alias bomb stops here. */
  yamlAliases: 100,
  /** A snapshot manifest. */
  manifestBytes: 64 * 1024 * 1024,
  /** A `--from` build context: files and bytes. */
  contextFiles: 100_000,
  contextBytes: 4 * 1024 * 1024 * 1024,
} as const;

export function formatLimit(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;
}
