/**
 * Issue 18 item 9 (and item 4's truncated download): blueprints fetched by URL. A real HTTP
 * server on loopback serves real tar.gz archives.
 */
import { createServer, type Server } from 'node:http';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  appendFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create as tarCreate, list as tarList } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isLoopbackHost,
  resolveBlueprint,
  verifyOrThrow,
} from '../../../../src/adapters/blueprint/resolve.ts';
import { sha256Hex } from '../../../../src/core/blueprint/digest.ts';
import { NemoclawError } from '../../../../src/core/errors.ts';
import { runCli } from '../../../helpers/cli.ts';
import { loadBlueprintIndex } from '../../../../src/adapters/blueprint/files.ts';

const ROOT = join(import.meta.dirname, '../../../..');

let server: Server;
let base: string;
let work: string;
const files: Record<string, Buffer> = {};

/** A release-shaped archive of the packaged 0.1.0 blueprint, changed by `edit` first. */
async function archive(name: string, edit: (dir: string) => void): Promise<void> {
  const stage = join(work, `stage-${name}`);
  const top = join(stage, 'nemoclaw-blueprint');
  cpSync(join(ROOT, 'blueprints/0.1.0'), top, { recursive: true });
  for (const d of ['policies', 'presets']) cpSync(join(ROOT, d), join(top, d), { recursive: true });
  edit(top);
  const file = join(work, `${name}.tar.gz`);
  await tarCreate({ gzip: true, file, cwd: stage }, ['nemoclaw-blueprint']);
  files[`/${name}.tar.gz`] = readFileSync(file);
}

const setVersion = (dir: string, v: string) => {
  const p = join(dir, 'blueprint.yaml');
  writeFileSync(p, readFileSync(p, 'utf8').replace(/^version: .*$/m, `version: ${v}`));
};

function pin(name: string): string {
  return `sha256:${sha256Hex(files[`/${name}.tar.gz`]!)}`;
}

function fetchOf(name: string, home: string, extra: { dryRun?: boolean } = {}) {
  return resolveBlueprint({
    packageRoot: ROOT,
    home,
    spec: `${base}/${name}.tar.gz`,
    sha256: pin(name),
    ...extra,
  });
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map(String);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'nc-bpurl2-'));
  await archive('setid', (d) => {
    setVersion(d, '0.9.0');
    const tool = join(d, 'tool.sh');
    writeFileSync(tool, '#!/bin/sh\n');
    chmodSync(tool, 0o4755);
    writeFileSync(join(d, 'gid.sh'), '#!/bin/sh\n');
    chmodSync(join(d, 'gid.sh'), 0o2775);
    chmodSync(join(d, 'policies'), 0o3777);
  });
  await archive('claims-policy', (d) => appendFileSync(join(d, 'policies/tiers.yaml'), '\n# x\n'));
  await archive('claims-yaml', (d) => appendFileSync(join(d, 'blueprint.yaml'), '\n# a comment\n'));
  await archive('claims-extra', (d) => writeFileSync(join(d, 'extra.txt'), 'x'));
  await archive('other', (d) => setVersion(d, '0.9.1'));
  server = createServer((req, res) => {
    if (req.url === '/truncated.tar.gz') {
      const body = files['/other.tar.gz']!;
      res.writeHead(200, { 'content-length': String(body.length) });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    if (req.url === '/huge.tar.gz') {
      res.writeHead(200, { 'content-length': String(200 * 1024 * 1024) });
      res.write(Buffer.alloc(1024), () => res.socket?.destroy());
      return;
    }
    const body = files[req.url ?? ''];
    if (!body) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': 'application/gzip' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(work, { recursive: true, force: true });
});

describe('setuid and setgid bits are dropped', () => {
  it('the archive holds them, the installed tree does not', async () => {
    const modes: number[] = [];
    await tarList({
      file: join(work, 'setid.tar.gz'),
      onReadEntry: (e) => void modes.push(e.mode ?? 0),
    });
    expect(modes.some((m) => (m & 0o6000) !== 0)).toBe(true);
    const home = join(work, 'home-setid');
    const r = await fetchOf('setid', home);
    for (const rel of ['tool.sh', 'gid.sh', 'policies', 'blueprint.yaml']) {
      const m = statSync(join(r.dir, rel)).mode;
      expect(m & 0o7000, rel).toBe(0);
      expect(m & 0o022, rel).toBe(0);
    }
    expect(statSync(join(r.dir, 'tool.sh')).mode & 0o111).not.toBe(0);
  });
});

describe('an archive that claims a packaged version with other content is refused', () => {
  it.each(['claims-policy', 'claims-yaml', 'claims-extra'])('%s', async (name) => {
    const home = join(work, `home-${name}`);
    const err = (await fetchOf(name, home).catch((e: unknown) => e)) as NemoclawError;
    expect(err.kind).toBe('integrity');
    expect(err.message).toMatch(/claims version 0\.1\.0, which nemoclaw packages/);
    expect(filesUnder(join(home, 'blueprints')).filter((f) => !f.startsWith('.'))).toEqual([]);
  });
});

describe('--dry-run writes nothing under NEMOCLAW_HOME', () => {
  it('resolving with dryRun leaves the home untouched', async () => {
    const home = join(work, 'home-dry');
    const r = await fetchOf('other', home, { dryRun: true });
    expect(r.version).toBe('0.9.1');
    expect(existsSync(home)).toBe(false);
  });

  it('onboard --dry-run with a blueprint URL creates nothing in the home', async () => {
    const home = mkdtempSync(join(tmpdir(), 'nc-dry-home-'));
    try {
      const r = await runCli(['onboard', '--dry-run', '--non-interactive'], {
        NEMOCLAW_HOME: home,
        NEMOCLAW_BLUEPRINT: `${base}/other.tar.gz`,
        NEMOCLAW_BLUEPRINT_SHA256: pin('other'),
        NVIDIA_API_KEY: 'nvapi-dryrun-0123456789',
        NEMOCLAW_ACCEPT_THIRD_PARTY_SOFTWARE: '1',
      });
      expect(r.code, r.stderr).toBe(0);
      expect(filesUnder(home).filter((f) => !f.startsWith('logs'))).toEqual([]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('http:// only on loopback', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.4.5.6', true],
    ['[::1]', true],
    ['localhost.example.com', false],
    ['127.0.0.1.nip.io', false],
    ['10.0.0.1', false],
    ['example.com', false],
    ['127.0.0.999', false],
  ])('%s → %s', (host, ok) => expect(isLoopbackHost(host)).toBe(ok));

  it.each(['http://example.com/bp.tar.gz', 'http://localhost.example.com/bp.tar.gz'])(
    'refuses %s before any download',
    async (spec) => {
      const err = (await resolveBlueprint({
        packageRoot: ROOT,
        home: join(work, 'h-http'),
        spec,
        sha256: `sha256:${'0'.repeat(64)}`,
      }).catch((e: unknown) => e)) as NemoclawError;
      expect(err.kind).toBe('invalid');
      expect(err.message).toContain('only on loopback');
    },
  );
});

describe('downloads that go wrong are clean refusals', () => {
  it.each([
    ['truncated', 'unavailable', /cut short/],
    ['huge', 'invalid', /larger than/],
  ])('%s', async (name, kind, re) => {
    const home = join(work, `h-${name}`);
    const err = (await resolveBlueprint({
      packageRoot: ROOT,
      home,
      spec: `${base}/${name}.tar.gz`,
      sha256: `sha256:${'0'.repeat(64)}`,
    }).catch((e: unknown) => e)) as NemoclawError;
    expect(err.kind).toBe(kind);
    expect(err.message).toMatch(re);
    expect(readdirSync(join(home, 'blueprints'))).toEqual([]);
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
