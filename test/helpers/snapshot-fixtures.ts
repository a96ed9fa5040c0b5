/** Sandboxes with agent state, and hand-built tar archives, for the snapshot tests. */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import type { SnapshotSource } from '../../src/adapters/snapshot/create.ts';

export const OPENCLAW_PATHS = [
  '/sandbox/.openclaw/workspace',
  '/sandbox/.openclaw/memory',
  '/sandbox/.openclaw/canvas',
  '/sandbox/.openclaw/openclaw.json',
];

export const SOURCE: SnapshotSource = {
  name: 'alpha',
  agent: 'openclaw',
  blueprintVersion: '0.1.0',
  blueprintDigest: `sha256:${'a'.repeat(64)}`,
  presets: ['npm', 'pypi'],
  customPolicies: [{ name: 'internal', content: 'internal: {}\n' }],
};

function put(root: string, rel: string, content: string | Buffer, mode = 0o644): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  chmodSync(p, mode);
}

/** An OpenClaw home with nested files, odd modes, an empty folder and in-tree links. */
export function seedOpenclaw(root: string): void {
  put(root, 'sandbox/.openclaw/openclaw.json', '{"memory":{"provider":"local"}}\n', 0o600);
  put(root, 'sandbox/.openclaw/workspace/SOUL.md', '# soul\n');
  put(root, 'sandbox/.openclaw/workspace/tools/run.sh', '#!/bin/sh\necho hi\n', 0o755);
  put(root, 'sandbox/.openclaw/workspace/tools/private.key', 'not a real key\n', 0o400);
  put(root, 'sandbox/.openclaw/workspace/deep/a/b/c/d/e/notes with spaces.txt', 'deep\n');
  put(root, 'sandbox/.openclaw/workspace/bin.dat', Buffer.from([0, 1, 2, 255, 254, 0, 0]));
  put(root, 'sandbox/.openclaw/workspace/empty-file', '');
  put(root, 'sandbox/.openclaw/workspace/ünïcødé-名前.md', 'utf8 name\n');
  put(root, `sandbox/.openclaw/workspace/${'long-name-'.repeat(12)}.txt`, 'long path\n');
  mkdirSync(join(root, 'sandbox/.openclaw/workspace/empty-dir'), { recursive: true });
  mkdirSync(join(root, 'sandbox/.openclaw/workspace/locked'), { recursive: true });
  put(root, 'sandbox/.openclaw/workspace/locked/inside.txt', 'inside\n');
  chmodSync(join(root, 'sandbox/.openclaw/workspace/locked'), 0o750);
  symlinkSync('SOUL.md', join(root, 'sandbox/.openclaw/workspace/soul-link'));
  symlinkSync('../../tools/run.sh', join(root, 'sandbox/.openclaw/workspace/deep/a/run-link'));
  put(root, 'sandbox/.openclaw/memory/index.sqlite', Buffer.alloc(300_000, 7));
  put(root, 'sandbox/.openclaw/memory/2026-05-18.md', 'remembered\n');
  // Not a state path: must never be touched by a restore.
  put(root, 'sandbox/.openclaw/identity/device.json', '{"id":1}\n');
}

export interface RawEntry {
  path: string;
  type: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'BlockDevice' | 'FIFO';
  mode?: number;
  linkpath?: string;
  body?: Buffer | string;
}

/** A gzip'd tar built header by header, so a test can write what the tar packer never would. */
export function rawTarGz(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = e.body === undefined ? Buffer.alloc(0) : Buffer.from(e.body);
    const h = new Header({
      path: e.path,
      type: e.type,
      mode: e.mode ?? (e.type === 'Directory' ? 0o755 : 0o644),
      size: e.type === 'File' ? body.length : 0,
      linkpath: e.linkpath,
      uid: 0,
      gid: 0,
      mtime: new Date(0),
    });
    h.encode();
    blocks.push(h.block!);
    if (e.type === 'File' && body.length > 0) {
      blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

export function sha256(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}
