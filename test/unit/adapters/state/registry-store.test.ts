import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { registryStore, stampPath } from '../../../../src/adapters/state/registry-store.ts';
import { NemoclawError } from '../../../../src/core/errors.ts';
import { useTestHome } from '../../../helpers/context.ts';

const t = useTestHome({ prefix: 'nc-state-' });

const WRITER = join(import.meta.dirname, '../../../fixtures/registry-writer.ts');

function runWriter(path: string, prefix: string, count: number, forever = false) {
  return spawn(
    process.execPath,
    [WRITER, path, prefix, String(count), forever ? 'forever' : 'once'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('state store', () => {
  it('writes private files in a private folder', async () => {
    const home = join(t.home, 'home');
    const store = registryStore(join(home, 'sandboxes.json'));
    await store.update((r) => ({ ...r, defaultSandbox: null }));
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, 'sandboxes.json')).mode & 0o777).toBe(0o600);
  });

  it('trusts only the file it last wrote and validated: a hand edit is validated again', async () => {
    const path = join(t.home, 'sandboxes.json');
    const store = registryStore(path);
    await store.update((r) => ({ ...r, defaultSandbox: 'x' }));
    expect(existsSync(join(t.home, '.sandboxes.json.validated'))).toBe(true);
    expect((await store.read()).defaultSandbox).toBe('x');
    // Same size, new content: the mtime (and so the stamp) no longer matches.
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('"defaultSandbox": "x"', '"defaultSandbox": 7  '),
    );
    const err = await store.read().catch((e: unknown) => e);
    expect((err as NemoclawError).kind).toBe('corrupt');
  });

  it('reads a missing registry as empty without creating it', async () => {
    const path = join(t.home, 'sandboxes.json');
    const r = await registryStore(path).read();
    expect(r).toEqual({ schemaVersion: 1, defaultSandbox: null, sandboxes: {} });
    expect(existsSync(path)).toBe(false);
  });

  it.each([
    ['corrupt JSON', '{"schemaVersion": 1, "sandb'],
    ['a wrong shape', '{"schemaVersion": 1, "defaultSandbox": 5, "sandboxes": {}}'],
    [
      'an unknown key',
      '{"schemaVersion": 1, "defaultSandbox": null, "sandboxes": {}, "extra": true}',
    ],
    ['a newer schemaVersion', '{"schemaVersion": 7, "defaultSandbox": null, "sandboxes": {}}'],
  ])('reports %s with its path and leaves the file untouched', async (_what, text) => {
    const path = join(t.home, 'sandboxes.json');
    writeFileSync(path, text);
    const store = registryStore(path);
    const err = await store.read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NemoclawError);
    expect((err as NemoclawError).kind).toBe('corrupt');
    expect((err as NemoclawError).message).toContain(path);
    // An update must refuse too, rather than reset the file.
    await expect(store.update((r) => r)).rejects.toBeInstanceOf(NemoclawError);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('never leaves an unreadable file when a writer is killed with SIGKILL at random points (100 times)', async () => {
    const path = join(t.home, 'sandboxes.json');
    const store = registryStore(path);
    let kills = 0;
    for (let i = 0; i < 100; i++) {
      const child = runWriter(path, `k${i}`, 1000, true);
      // Wait until the writer is writing (however slow its start), then kill it at a random point.
      await new Promise<void>((r) => {
        child.stdout!.once('data', () => r());
        child.once('exit', () => r());
      });
      await new Promise((r) => setTimeout(r, Math.random() * 30));
      child.kill('SIGKILL');
      await exited(child);
      kills++;
      if (existsSync(path)) {
        const r = await store.read(); // throws on a torn or corrupt file
        expect(r.schemaVersion).toBe(1);
      }
    }
    expect(kills).toBe(100);
    // The writers really were writing when they were killed.
    expect(Object.keys((await store.read()).sandboxes).length).toBeGreaterThan(20);
    // The store still works after all those stale locks.
    await store.update((r) => ({ ...r, defaultSandbox: null }));
    const leftovers = readdirSync(t.home).filter(
      (n) => n.endsWith('.tmp') && n.startsWith('.sandboxes.json.'),
    );
    // The last successful write swept up the temp files of the killed writers.
    expect(leftovers).toEqual([]);
  }, 120_000);

  it('loses no entry when 16 processes add entries at once', async () => {
    const path = join(t.home, 'sandboxes.json');
    const children = Array.from({ length: 16 }, (_, i) => runWriter(path, `p${i}`, 5));
    const codes = await Promise.all(children.map(exited));
    expect(codes.every((c) => c === 0)).toBe(true);
    const r = await registryStore(path).read();
    expect(Object.keys(r.sandboxes)).toHaveLength(80);
    for (let p = 0; p < 16; p++)
      for (let n = 0; n < 5; n++) expect(r.sandboxes[`p${p}-${n}`]).toBeDefined();
  }, 120_000);
});

// Issue 18 item 7: the registry's validation cache must not trust an edit that keeps the old
// size and mtime (or forges the stamp).
describe('the registry validation cache', () => {
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
