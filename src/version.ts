/** The package version: inlined by the build, read from package.json when running from source. */
import { readFileSync } from 'node:fs';

declare const __NEMOCLAW_VERSION__: string | undefined;

function fromPackageJson(): string {
  const url = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

export const VERSION: string =
  typeof __NEMOCLAW_VERSION__ === 'string' ? __NEMOCLAW_VERSION__ : fromPackageJson();
