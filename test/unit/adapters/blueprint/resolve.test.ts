import { createServer, type Server } from 'node:http';
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  appendFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create as tarCreate } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  resolveBlueprint,
  verifyBlueprint,
  verifyOrThrow,
} from '../../../../src/adapters/blueprint/resolve.ts';
import {
  hashBlueprintTree,
  loadBlueprintFile,
  loadBlueprintIndex,
} from '../../../../src/adapters/blueprint/files.ts';
import { diffFiles, sha256Hex, treeDigest } from '../../../../src/core/blueprint/digest.ts';
import { referencedFiles } from '../../../../src/core/blueprint/schema.ts';
import { NemoclawError } from '../../../../src/core/errors.ts';
import { runCli } from '../../../helpers/cli.ts';

const ROOT = join(import.meta.dirname, '../../../..');

/** A private copy of the package's blueprint assets, so tests can change bytes. */
function copyPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nc-pkg-'));
  for (const d of ['blueprints', 'policies', 'presets'])
    cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  return dir;
}

describe('tree digest', () => {
  it('is order-independent and changes with any byte or path', () => {
    const a = { 'x.yaml': sha256Hex('1'), 'y.yaml': sha256Hex('2') };
    const b = { 'y.yaml': sha256Hex('2'), 'x.yaml': sha256Hex('1') };
    expect(treeDigest(a)).toBe(treeDigest(b));
    expect(treeDigest({ ...a, 'x.yaml': sha256Hex('1 ') })).not.toBe(treeDigest(a));
    expect(treeDigest({ 'z.yaml': a['x.yaml'], 'y.yaml': a['y.yaml'] })).not.toBe(treeDigest(a));
    expect(treeDigest(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('names added, missing and modified files in path order', () => {
    expect(diffFiles({ a: '1', b: '2', c: '3' }, { a: '1', b: 'X', d: '4' })).toEqual([
      { path: 'b', change: 'modified' },
      { path: 'c', change: 'missing' },
      { path: 'd', change: 'added' },
    ]);
  });
});

describe('packaged blueprints', () => {
  it('every released folder matches blueprints/index.yaml', async () => {
    const index = await loadBlueprintIndex(join(ROOT, 'blueprints/index.yaml'));
    expect(Object.keys(index.versions).length).toBeGreaterThan(0);
    for (const [v, entry] of Object.entries(index.versions)) {
      const dir = join(ROOT, 'blueprints', v);
      const bp = await loadBlueprintFile(dir);
      const files = await hashBlueprintTree(dir, ROOT, bp);
      expect(diffFiles(entry.files, files), `blueprint ${v}`).toEqual([]);
      expect(treeDigest(files)).toBe(entry.digest);
    }
  });

  it('the digest covers the policy and preset files the blueprint references', async () => {
    const bp = await loadBlueprintFile(join(ROOT, 'blueprints/0.1.0'));
    const refs = referencedFiles(bp);
    expect(refs).toContain('policies/openclaw-sandbox.yaml');
    expect(refs).toContain('policies/tiers.yaml');
    expect(refs).toContain('presets/npm.yaml');
    const index = await loadBlueprintIndex(join(ROOT, 'blueprints/index.yaml'));
    for (const r of refs) expect(Object.keys(index.versions['0.1.0']!.files)).toContain(r);
  });

  it('resolves the newest packaged version by default and verifies it', async () => {
    const r = await resolveBlueprint({ packageRoot: ROOT, home: tmpdir() });
    expect(r.source).toBe('packaged');
    const v = await verifyOrThrow(r);
    expect(v.ok).toBe(true);
  });
});

describe('changing one byte of any covered file', () => {
  let pkg: string;
  let covered: string[];
  beforeAll(async () => {
    pkg = copyPackage();
    const index = await loadBlueprintIndex(join(pkg, 'blueprints/index.yaml'));
    covered = Object.keys(index.versions['0.1.0']!.files);
  });
  afterAll(() => rmSync(pkg, { recursive: true, force: true }));

  it('makes verify fail naming expected digest, actual digest and the file', async () => {
    expect(covered.length).toBeGreaterThan(10);
    for (const rel of covered) {
      const path =
        rel.startsWith('policies/') || rel.startsWith('presets/')
          ? join(pkg, rel)
          : join(pkg, 'blueprints/0.1.0', rel);
      const original = readFileSync(path);
      const changed = Buffer.from(original);
      changed[changed.length - 1] ^= 0x01;
      writeFileSync(path, changed);
      try {
        const res = await runCli(['blueprint', 'verify', '0.1.0'], {
          NEMOCLAW_PACKAGE_ROOT: pkg,
          NEMOCLAW_HOME: join(pkg, 'home'),
        });
        expect(res.code, rel).toBe(1);
        expect(res.stderr).toMatch(/expected sha256:[0-9a-f]{64}, actual sha256:[0-9a-f]{64}/);
        expect(res.stderr, rel).toContain(`First difference: ${rel} (modified)`);
      } finally {
        writeFileSync(path, original);
      }
    }
  }, 60_000);
});

describe('local folder blueprints', () => {
  it('a folder with a packaged version must match it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-bp-'));
    try {
      cpSync(join(ROOT, 'blueprints/0.1.0'), dir, { recursive: true });
      for (const d of ['policies', 'presets'])
        cpSync(join(ROOT, d), join(dir, d), { recursive: true });
      const r = await resolveBlueprint({ packageRoot: ROOT, home: tmpdir(), spec: dir });
      expect(r.source).toBe('path');
      expect((await verifyBlueprint(r)).ok).toBe(true);
      appendFileSync(join(dir, 'Dockerfile'), '\n# changed\n');
      const v = await verifyBlueprint(r);
      expect(v.ok).toBe(false);
      expect(v.differences).toEqual([{ path: 'Dockerfile', change: 'modified' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('blueprint URLs', () => {
  let server: Server;
  let base: string;
  let work: string;
  const files: Record<string, Buffer> = {};

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nc-bpurl-'));
    // A blueprint archive laid out as a release would ship it: the folder plus its policies.
    const stage = join(work, 'stage', 'nemoclaw-blueprint-0.1.0');
    cpSync(join(ROOT, 'blueprints/0.1.0'), stage, { recursive: true });
    for (const d of ['policies', 'presets'])
      cpSync(join(ROOT, d), join(stage, d), { recursive: true });
    await tarCreate(
      { gzip: true, file: join(work, 'good.tar.gz'), cwd: join(work, 'stage'), portable: true },
      ['nemoclaw-blueprint-0.1.0'],
    );
    files['/good.tar.gz'] = readFileSync(join(work, 'good.tar.gz'));
    // A hostile archive: an entry that climbs out of the extraction folder.
    mkdirSync(join(work, 'evil'), { recursive: true });
    writeFileSync(join(work, 'evil', 'blueprint.yaml'), 'version: 0.1.0\n');
    await tarCreate(
      {
        gzip: true,
        file: join(work, 'evil.tar.gz'),
        cwd: join(work, 'evil'),
        portable: true,
        preservePaths: true,
      },
      ['blueprint.yaml', '../evil/blueprint.yaml'],
    );
    files['/evil.tar.gz'] = readFileSync(join(work, 'evil.tar.gz'));
    server = createServer((req, res) => {
      const body = files[req.url ?? ''];
      if (!body) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(work, { recursive: true, force: true });
  });

  it('downloads, checks the pin, extracts and verifies', async () => {
    const home = join(work, 'home1');
    const pin = `sha256:${sha256Hex(files['/good.tar.gz']!)}`;
    const r = await resolveBlueprint({
      packageRoot: ROOT,
      home,
      spec: `${base}/good.tar.gz`,
      sha256: pin,
    });
    expect(r.source).toBe('url');
    expect(r.dir).toBe(join(home, 'blueprints', '0.1.0'));
    const v = await verifyOrThrow(r);
    const index = await loadBlueprintIndex(join(ROOT, 'blueprints/index.yaml'));
    // Same content as the packaged release, so the same tree digest.
    expect(v.actual).toBe(index.versions['0.1.0']!.digest);
  });

  it('refuses an archive that does not match its pin, and an unpinned URL', async () => {
    const home = join(work, 'home2');
    const err = await resolveBlueprint({
      packageRoot: ROOT,
      home,
      spec: `${base}/good.tar.gz`,
      sha256: `sha256:${'0'.repeat(64)}`,
    }).catch((e: unknown) => e);
    expect((err as NemoclawError).kind).toBe('integrity');
    expect((err as NemoclawError).hint).toContain(`sha256:${'0'.repeat(64)}`);
    const err2 = await resolveBlueprint({
      packageRoot: ROOT,
      home,
      spec: `${base}/good.tar.gz`,
    }).catch((e: unknown) => e);
    expect((err2 as NemoclawError).kind).toBe('invalid');
  });

  it('refuses plain http to a non-loopback host', async () => {
    const err = await resolveBlueprint({
      packageRoot: ROOT,
      home: work,
      spec: 'http://example.com/bp.tar.gz',
      sha256: `sha256:${'0'.repeat(64)}`,
    }).catch((e: unknown) => e);
    expect((err as NemoclawError).kind).toBe('invalid');
  });

  it('reports a missing archive as unavailable', async () => {
    const err = await resolveBlueprint({
      packageRoot: ROOT,
      home: join(work, 'h3'),
      spec: `${base}/nope.tar.gz`,
      sha256: `sha256:${'0'.repeat(64)}`,
    }).catch((e: unknown) => e);
    expect((err as NemoclawError).kind).toBe('unavailable');
  });

  it('refuses archive entries that climb out of the tree', async () => {
    const pin = `sha256:${sha256Hex(files['/evil.tar.gz']!)}`;
    const err = await resolveBlueprint({
      packageRoot: ROOT,
      home: join(work, 'h4'),
      spec: `${base}/evil.tar.gz`,
      sha256: pin,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NemoclawError);
    expect(['integrity', 'corrupt']).toContain((err as NemoclawError).kind);
  });
});

describe('blueprint commands', () => {
  it('list prints versions with digests; show prints the pinned OpenShell range', async () => {
    const list = await runCli(['blueprint', 'list', '--json'], { NEMOCLAW_HOME: tmpdir() });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).blueprints[0]).toMatchObject({ version: '0.1.0' });
    const show = await runCli(['blueprint', 'show'], { NEMOCLAW_HOME: tmpdir() });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('min_version: 0.0.111');
  });
  it('verify exits 0 on the packaged blueprint', async () => {
    const res = await runCli(['blueprint', 'verify'], { NEMOCLAW_HOME: tmpdir() });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('verified');
  });
});
