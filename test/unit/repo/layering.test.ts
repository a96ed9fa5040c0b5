/**
 * The layering rules of eslint.config.js (house style 3 and 9, issue 17 item 1) refuse what they
 * are meant to refuse: a use case reaching an adapter's value, statically or through import().
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../../..', import.meta.url).pathname });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r!.messages.map((m) => m.ruleId ?? m.message);
}

describe('layering lint', () => {
  it('refuses a use case importing an adapter value, statically or with import()', async () => {
    const file = 'src/usecases/layering-probe.ts';
    expect(
      await ruleIds(
        "import { listImages } from '../adapters/docker/inventory.ts';\nexport const f = listImages;\n",
        file,
      ),
    ).toContain('@typescript-eslint/no-restricted-imports');
    expect(
      await ruleIds(
        "export const f = async () => (await import('../adapters/docker/inventory.ts')).listImages;\n",
        file,
      ),
    ).toContain('no-restricted-syntax');
    expect(
      await ruleIds(
        "export const f = async () => (await import('../../adapters/state/lock.ts')).withLock;\n",
        'src/usecases/onboard/layering-probe.ts',
      ),
    ).toContain('no-restricted-syntax');
  });

  it('lets a use case import adapter types, core values and its siblings', async () => {
    const code =
      "import type { DockerEngine } from '../adapters/docker/engine.ts';\n" +
      "export const f = async (e: DockerEngine) => [e, (await import('./snapshot.ts')).agentStatePaths];\n";
    expect(await ruleIds(code, 'src/usecases/layering-probe.ts')).toEqual([]);
  });

  it('lets the composition root load adapters', async () => {
    const code =
      "export const f = async () => (await import('./adapters/audit/store.ts')).readLog;\n";
    expect(await ruleIds(code, 'src/main-probe.ts')).toEqual([]);
  });
});
