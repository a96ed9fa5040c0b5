import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Parser } from 'tar';
import { collectContext } from '../../../../src/adapters/docker/build-context.ts';
import { contextTarWithExtras } from '../../../../src/adapters/docker/context-extras.ts';

const dir = mkdtempSync(join(tmpdir(), 'nc-ctx-extras-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function entries(stream: NodeJS.ReadableStream) {
  const out: { path: string; mode: number; body: string }[] = [];
  const p = new Parser({
    onReadEntry: (e) => {
      let body = '';
      e.on('data', (c: Buffer) => (body += c.toString()));
      e.on('end', () => out.push({ path: e.path, mode: e.mode ?? 0, body }));
    },
  });
  await new Promise<void>((resolve, reject) => {
    p.on('end', resolve);
    p.on('error', reject);
    stream.pipe(p as unknown as NodeJS.WritableStream);
  });
  return out;
}

describe('a build context with generated files', () => {
  it('appends the generated files after the folder’s own, which stay as they are', async () => {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM x\n');
    writeFileSync(join(dir, 'start'), '#!/bin/sh\n');
    const ctx = await collectContext(dir);
    const got = await entries(
      await contextTarWithExtras(ctx, [
        { path: 'agent/config', content: '{"a":1}\n', mode: 0o644 },
        { path: 'agent/install.sh', content: 'echo ' + 'x'.repeat(600) + '\n', mode: 0o755 },
      ]),
    );
    expect(got.map((e) => e.path)).toEqual([
      'Dockerfile',
      'start',
      'agent/config',
      'agent/install.sh',
    ]);
    expect(got[0]!.body).toBe('FROM x\n');
    expect(got[2]).toMatchObject({ body: '{"a":1}\n', mode: 0o644 });
    expect(got[3]!.mode).toBe(0o755);
    expect(got[3]!.body).toHaveLength(606);
  });

  it('refuses a generated file that would replace one of the folder’s or leave the context', async () => {
    const ctx = await collectContext(dir);
    await expect(
      contextTarWithExtras(ctx, [{ path: 'Dockerfile', content: 'FROM evil\n', mode: 0o644 }]),
    ).rejects.toThrow(/collides/);
    await expect(
      contextTarWithExtras(ctx, [{ path: '../x', content: '', mode: 0o644 }]),
    ).rejects.toThrow(/relative path/);
  });
});
