/** Finds the installed package's root (where blueprints/, policies/ and presets/ live). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  const override = process.env.NEMOCLAW_PACKAGE_ROOT;
  if (override) return (cached = override);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'blueprints', 'index.yaml'))) return (cached = dir);
    const up = dirname(dir);
    if (up === dir)
      throw new Error('nemoclaw: cannot find its package root (blueprints/index.yaml)');
    dir = up;
  }
}
