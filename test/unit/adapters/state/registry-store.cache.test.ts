/**
 * Issue 18 item 7: the registry's validation cache must not trust an edit that keeps the old
 * size and mtime (or forges the stamp).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { registryStore, stampPath } from '../../../../src/adapters/state/registry-store.ts';
import type { NemoclawError } from '../../../../src/core/errors.ts';
import { useTestHome } from '../../../helpers/context.ts';

const t = useTestHome({ prefix: 'nc-stamp-' });
let path: string;
beforeEach(async () => {
  path = join(t.home, 'sandboxes.json');
  await registryStore(path).update((r) => ({ ...r, defaultSandbox: 'x' }));
});

/** Rewrites the registry in place with the same size, then puts the old times back. */
function sameSizeEdit(from: string, to: string): void {
  const st = statSync(path, { bigint: true });
  const text = readFileSync(path, 'utf8');
  const edited = text.replace(from, to);
  expect(edited.length).toBe(text.length);
  expect(edited).not.toBe(text);
  writeFileSync(path, edited);
  // Put the old mtime back to the nanosecond (GNU touch), as a careful editor could.
  const ns = st.mtimeNs;
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  execFileSync('touch', ['-m', '-d', `@${ns / 1_000_000_000n}.${frac}`, path]);
  expect(statSync(path, { bigint: true }).mtimeNs).toBe(st.mtimeNs);
}

async function readError(): Promise<NemoclawError> {
  return (await registryStore(path)
    .read()
    .catch((e: unknown) => e)) as NemoclawError;
}

describe('the registry validation cache', () => {
  it('a same-size edit that keeps the old mtime is validated (the issue’s example)', async () => {
    expect((await registryStore(path).read()).defaultSandbox).toBe('x');
    sameSizeEdit('"defaultSandbox": "x"', '"defaultSandbox": 7  ');
    expect((await readError()).kind).toBe('corrupt');
  });

  it('a wrong-shape value of the same length is caught too', async () => {
    sameSizeEdit('"schemaVersion": 1', '"schemaVersion": 0');
    expect((await readError()).kind).toBe('corrupt');
  });

  it('a forged stamp that matches the new times but not the content is not trusted', async () => {
    sameSizeEdit('"defaultSandbox": "x"', '"defaultSandbox": [] ');
    const st = statSync(path, { bigint: true });
    const stamp = JSON.parse(readFileSync(stampPath(path), 'utf8'));
    writeFileSync(
      stampPath(path),
      JSON.stringify({ ...stamp, mtimeNs: st.mtimeNs.toString(), ctimeNs: st.ctimeNs.toString() }),
    );
    expect((await readError()).kind).toBe('corrupt');
  });

  it('an unchanged registry is still read from the cache', async () => {
    expect((await registryStore(path).read()).defaultSandbox).toBe('x');
  });
});
