/**
 * Issue 18 item 7: no side effect before validation. `rebuild --resume` and `onboard --resume`
 * read and check every state file they need before their first change, and name a damaged one.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpenshellClient } from '../../../src/adapters/openshell/types.ts';
import { rebuild } from '../../../src/usecases/rebuild.ts';
import { realAdapters } from '../../helpers/adapter-world.ts';
import { interruptedRebuild } from '../../helpers/rebuild-fixtures.ts';
import { sandboxEntry, useTestHome } from '../../helpers/context.ts';
import { packagedFiles } from '../../helpers/policy-world.ts';

const t = useTestHome({ prefix: 'nc-resume-', sandboxes: [sandboxEntry()] });

/** An OpenShell that records every call and answers that the sandbox is Ready. */
function recordingOpenshell(calls: string[]): OpenshellClient {
  return new Proxy({} as OpenshellClient, {
    get:
      (_t, name: string) =>
      async (...args: unknown[]) => {
        calls.push(`${name} ${JSON.stringify(args[0] ?? '')}`);
        if (name === 'sandboxGet') return { name: 'alpha', phase: 'Ready' };
        return undefined;
      },
  });
}

describe('rebuild --resume', () => {
  it.each([
    [
      'a bit-flipped archive (the issue’s example)',
      (f: { archive: string }) => {
        const b = readFileSync(f.archive);
        b[Math.floor(b.length / 2)]! ^= 0xff;
        writeFileSync(f.archive, b);
      },
      /is damaged \(.*\.tar\.gz\)/,
    ],
    ['a missing archive', (f: { archive: string }) => rmSync(f.archive), /is damaged/],
    [
      'an unreadable manifest',
      (f: { manifest: string }) => writeFileSync(f.manifest, '{"schemaVersion": 1'),
      /cannot be read \(.*manifest\.json/,
    ],
    [
      'a manifest whose root is not a state path',
      (f: { manifest: string }) => {
        const m = JSON.parse(readFileSync(f.manifest, 'utf8'));
        m.roots = [{ path: '/sandbox', type: 'dir' }];
        writeFileSync(f.manifest, JSON.stringify(m));
      },
      /not a state path/,
    ],
  ])('%s: refused before the sandbox is touched', async (_what, damage, re) => {
    const files = await interruptedRebuild(t.home);
    damage(files);
    const calls: string[] = [];
    const journal = readFileSync(join(t.home, 'journal', 'alpha.json'), 'utf8');
    const e = await rebuild(
      t.context(),
      {
        ...realAdapters(),
        openshell: recordingOpenshell(calls),
        confirm: async () => true,
        ...packagedFiles,
      },
      { sandbox: 'alpha', resume: true },
    ).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(re);
    expect((e as Error).message).toContain('Nothing was changed');
    expect(calls.filter((c) => !c.startsWith('sandboxGet'))).toEqual([]);
    expect(readFileSync(join(t.home, 'journal', 'alpha.json'), 'utf8')).toBe(journal);
  });
});
