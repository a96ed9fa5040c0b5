/** Finds the installed package's root (where blueprints/, policies/ and presets/ live). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** `override` (NEMOCLAW_PACKAGE_ROOT) lets tests and packagers point at another tree. */
export function packageRoot(override?: string): string {
  if (override) return override;
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'blueprints', 'index.yaml'))) return (cached = dir);
    const up = dirname(dir);
    if (up === dir)
      throw new Error('nemoclaw: cannot find its package root (blueprints/index.yaml)');
    dir = up;
  }
}
