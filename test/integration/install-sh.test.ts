/**
 * install.sh's download-and-verify logic against a local HTTP server serving a fake OpenShell release
 * and a fake npm registry. The script is sourced with NEMOCLAW_INSTALL_LIB=1 so each function runs
 * alone, exactly as main() would call it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create as tarCreate } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../helpers/sh.ts';

const ROOT = join(import.meta.dirname, '../..');
const INSTALL = join(ROOT, 'install.sh');
const VERSION = /max_version: *([0-9.]+)/.exec(
  readFileSync(join(ROOT, 'blueprints/0.1.0/blueprint.yaml'), 'utf8'),
)![1]!;
const ARCH = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
const PLATFORM = `${process.platform === 'darwin' ? 'darwin' : 'linux'}-${ARCH}`;
// OpenShell's release workflow (.github/workflows/release-tag.yml at v0.0.111) names the CLI asset
// after the Rust target and packs the one binary at the archive's root.
const ASSET =
  process.platform === 'darwin'
    ? 'openshell-aarch64-apple-darwin.tar.gz'
    : `openshell-${ARCH}-unknown-linux-musl.tar.gz`;
const SUMS = 'openshell-checksums-sha256.txt';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function tgz(
  dir: string,
  files: Record<string, { text: string; mode?: number }>,
): Promise<Buffer> {
  const src = mkdtempSync(join(tmpdir(), 'nc-tgz-'));
  for (const [p, f] of Object.entries(files)) {
    mkdirSync(join(src, p, '..'), { recursive: true });
    writeFileSync(join(src, p), f.text);
    chmodSync(join(src, p), f.mode ?? 0o644);
  }
  const out = join(dir, `${Math.random().toString(16).slice(2)}.tgz`);
  await tarCreate({ gzip: true, cwd: src, file: out, portable: true }, Object.keys(files));
  rmSync(src, { recursive: true, force: true });
  return readFileSync(out);
}

describe('install.sh', () => {
  let dir: string;
  let server: Server;
  let base: string;
  const routes = new Map<string, Buffer>();
  const hits: string[] = [];
  let release: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nc-install-'));
    release = await tgz(dir, {
      openshell: { text: `#!/bin/sh\necho "openshell ${VERSION}"\n`, mode: 0o755 },
    });
    routes.set(`/v${VERSION}/${ASSET}`, release);
    server = createServer((req, res) => {
      hits.push(req.url!);
      if (req.url!.endsWith('/truncated/' + ASSET)) {
        // Announces the whole file, sends half, and hangs up: what a dropped connection looks like.
        res.writeHead(200, { 'content-length': release.length });
        res.write(release.subarray(0, release.length >> 1));
        return void setImmediate(() => res.socket?.destroy());
      }
      const body = routes.get(req.url!);
      if (!body) return void res.writeHead(404).end('not found');
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  /** A package folder as npm would install it: the real blueprints plus a checksums file. */
  function pkg(checksums: string): string {
    const p = mkdtempSync(join(dir, 'pkg-'));
    cpSync(join(ROOT, 'blueprints'), join(p, 'blueprints'), { recursive: true });
    mkdirSync(join(p, 'scripts'));
    writeFileSync(join(p, 'scripts/openshell-checksums.txt'), checksums);
    return p;
  }

  // Asynchronous on purpose: the server answering the script lives in this process.
  async function run(script: string, env: Record<string, string> = {}) {
    const prefix = env.NEMOCLAW_INSTALL_PREFIX ?? mkdtempSync(join(dir, 'prefix-'));
    const home = mkdtempSync(join(dir, 'home-'));
    const r = await sh(['-c', `. '${INSTALL}'; detect_platform; ${script}`], {
      PATH: process.env.PATH!,
      HOME: home,
      NEMOCLAW_INSTALL_LIB: '1',
      NEMOCLAW_INSTALL_PREFIX: prefix,
      NEMOCLAW_HOME: join(home, '.nemoclaw'),
      NEMOCLAW_OPENSHELL_RELEASE_URL: `${base}/v${VERSION}`,
      NEMOCLAW_GH: 'nemoclaw-test-no-such-gh',
      ...env,
    });
    return { ...r, prefix, home };
  }

  it('installs the pinned OpenShell release when its checksum matches, writes the receipt, and is idempotent', async () => {
    const p = pkg(`# comment\n${VERSION} ${PLATFORM} ${sha256(release)} ${ASSET}\n`);
    const before = hits.length;
    const r = await run(`install_openshell '${p}'`);
    expect(r.stderr).toContain(`OpenShell: openshell ${VERSION}`);
    expect(r.status).toBe(0);
    expect(hits.slice(before)).toEqual([`/v${VERSION}/${ASSET}`]);
    const bin = join(r.prefix, 'bin/openshell');
    expect(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout).toBe(
      `openshell ${VERSION}\n`,
    );
    const receipt = readFileSync(join(r.home, '.nemoclaw/install-receipt'), 'utf8');
    expect(receipt).toContain(`openshell_path=${bin}\n`);
    expect(receipt).toContain(`openshell_version=${VERSION}\n`);
    // Again: nothing downloaded.
    const again = await run(`install_openshell '${p}'`, { NEMOCLAW_INSTALL_PREFIX: r.prefix });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('(already installed)');
    expect(hits.length).toBe(before + 1);
  });

  it('refuses a download whose checksum does not match: non-zero, nothing installed, nothing left over', async () => {
    const p = pkg(`${VERSION} ${PLATFORM} ${'0'.repeat(64)} ${ASSET}\n`);
    const r = await run(`install_openshell '${p}'`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      `checksum mismatch for ${base}/v${VERSION}/${ASSET}: expected ${'0'.repeat(64)}, got ${sha256(release)}`,
    );
    expect(r.stderr).toContain('Nothing was installed');
    expect(existsSync(join(r.prefix, 'bin'))).toBe(false);
    expect(existsSync(join(r.home, '.nemoclaw/install-receipt'))).toBe(false);
  });

  it('without a pinned digest it trusts the release checksums file, says so, and installs', async () => {
    const p = pkg('# nothing pinned\n');
    routes.set(
      `/v${VERSION}/${SUMS}`,
      Buffer.from(`${'1'.repeat(64)}  other.tar.gz\n${sha256(release)}  ${ASSET}\n`),
    );
    const before = hits.length;
    const r = await run(`install_openshell '${p}'`);
    expect(r.stderr).toContain(`OpenShell: openshell ${VERSION}`);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`Notice: this nemoclaw pins no digest for OpenShell ${VERSION}`);
    expect(r.stderr).toContain(`Checksum: SHA-256 ${sha256(release)} matches.`);
    expect(r.stderr).toContain('Attestation: gh is not installed; skipped');
    expect(hits.slice(before)).toEqual([`/v${VERSION}/${SUMS}`, `/v${VERSION}/${ASSET}`]);
  });

  it('refuses a tampered asset that the release checksums file does not match', async () => {
    const p = pkg('');
    const tampered = await tgz(dir, {
      openshell: { text: '#!/bin/sh\necho "openshell 6.6.6"\n', mode: 0o755 },
    });
    routes.set(`/tampered/${SUMS}`, Buffer.from(`${sha256(release)}  ${ASSET}\n`));
    routes.set(`/tampered/${ASSET}`, tampered);
    const r = await run(`install_openshell '${p}'`, {
      NEMOCLAW_OPENSHELL_RELEASE_URL: `${base}/tampered`,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`checksum mismatch for ${base}/tampered/${ASSET}`);
    expect(r.stderr).toContain('Nothing was installed');
    expect(existsSync(join(r.prefix, 'bin/openshell'))).toBe(false);
    expect(existsSync(join(r.home, '.nemoclaw/install-receipt'))).toBe(false);
  });

  it('refuses when the release checksums file has no line for the asset', async () => {
    const p = pkg('');
    routes.set(`/nosum/${SUMS}`, Buffer.from(`${sha256(release)}  something-else.tar.gz\n`));
    routes.set(`/nosum/${ASSET}`, release);
    const r = await run(`install_openshell '${p}'`, {
      NEMOCLAW_OPENSHELL_RELEASE_URL: `${base}/nosum`,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${SUMS} of OpenShell ${VERSION} has no line for ${ASSET}`);
    expect(r.stderr).toContain('Refusing to install an unverified binary');
    expect(existsSync(join(r.prefix, 'bin/openshell'))).toBe(false);
  });

  it('a truncated download fails and installs nothing', async () => {
    const p = pkg(`${VERSION} ${PLATFORM} ${sha256(release)} ${ASSET}\n`);
    const r = await run(`install_openshell '${p}'`, {
      NEMOCLAW_OPENSHELL_RELEASE_URL: `${base}/truncated`,
    });
    expect(r.status).toBe(1);
    // curl notices the short body; a client that did not would still fail the checksum.
    expect(r.stderr).toMatch(
      new RegExp(`could not download ${base}/truncated/${ASSET}|checksum mismatch`),
    );
    expect(existsSync(join(r.prefix, 'bin/openshell'))).toBe(false);
  });

  it('refuses an archive that holds more than the one binary, even with a matching digest', async () => {
    const extra = await tgz(dir, {
      openshell: { text: `#!/bin/sh\necho "openshell ${VERSION}"\n`, mode: 0o755 },
      'lib/evil.so': { text: 'x' },
    });
    routes.set(`/extra/${ASSET}`, extra);
    const p = pkg(`${VERSION} ${PLATFORM} ${sha256(extra)} ${ASSET}\n`);
    const r = await run(`install_openshell '${p}'`, {
      NEMOCLAW_OPENSHELL_RELEASE_URL: `${base}/extra`,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/holds \d+ entries, not just the openshell binary/);
    expect(existsSync(join(r.prefix, 'bin/openshell'))).toBe(false);
  });

  it('runs gh attestation verify when gh is there, and refuses what it rejects', async () => {
    const p = pkg(`${VERSION} ${PLATFORM} ${sha256(release)} ${ASSET}\n`);
    const bin = mkdtempSync(join(dir, 'gh-'));
    const calls = join(bin, 'calls');
    // A gh that records its arguments; its verdict comes from the environment of the test.
    writeFileSync(
      join(bin, 'gh'),
      `#!/bin/sh\necho "$*" >> '${calls}'\n[ "$1" = auth ] && exit 0\n[ "$GH_VERDICT" = ok ] && exit 0\necho "verification failed: no matching attestation" >&2\nexit 1\n`,
    );
    chmodSync(join(bin, 'gh'), 0o755);
    const ok = await run(`install_openshell '${p}'`, {
      NEMOCLAW_GH: join(bin, 'gh'),
      GH_VERDICT: 'ok',
    });
    expect(ok.stderr).toContain('Attestation: verified');
    expect(ok.status).toBe(0);
    expect(readFileSync(calls, 'utf8')).toMatch(
      new RegExp(`attestation verify \\S+/${ASSET} --repo NVIDIA/OpenShell`),
    );
    const bad = await run(`install_openshell '${p}'`, {
      NEMOCLAW_GH: join(bin, 'gh'),
      GH_VERDICT: 'no',
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('verification failed: no matching attestation');
    expect(bad.stderr).toContain(`gh attestation verify refused ${ASSET}`);
    expect(existsSync(join(bad.prefix, 'bin/openshell'))).toBe(false);
  });

  it('a missing asset fails with the URL it tried', async () => {
    const p = pkg(`${VERSION} ${PLATFORM} ${sha256(release)} ${ASSET}\n`);
    const r = await run(`install_openshell '${p}'`, {
      NEMOCLAW_OPENSHELL_RELEASE_URL: `${base}/empty`,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`could not download ${base}/empty/${ASSET}`);
    expect(existsSync(join(r.prefix, 'bin/openshell'))).toBe(false);
  });

  it('installs from a local folder too (air-gapped hosts), still verified', async () => {
    const rel = mkdtempSync(join(dir, 'rel-'));
    writeFileSync(join(rel, ASSET), release);
    const p = pkg(`${VERSION} ${PLATFORM} ${sha256(release)} ${ASSET}\n`);
    const r = await run(`install_openshell '${p}'`, { NEMOCLAW_OPENSHELL_RELEASE_URL: rel });
    expect(r.status).toBe(0);
    expect(existsSync(join(r.prefix, 'bin/openshell'))).toBe(true);
  });

  it('bootstraps Node.js from the npm registry, verifying the sha512 integrity', async () => {
    const pkgName = `node-${process.platform === 'darwin' ? 'darwin' : 'linux'}-${process.arch === 'arm64' ? 'arm64' : 'x64'}`;
    // A stand-in node: answers --version and the version check install.sh makes with -e.
    const tarball = await tgz(dir, {
      'package/bin/node': {
        text: '#!/bin/sh\n[ "$1" = --version ] && echo v22.12.0\nexit 0\n',
        mode: 0o755,
      },
    });
    const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
    routes.set(
      `/reg/${pkgName}/22.12.0`,
      Buffer.from(
        JSON.stringify({
          name: pkgName,
          version: '22.12.0',
          dist: { tarball: `${base}/reg/t.tgz`, integrity },
        }),
      ),
    );
    routes.set('/reg/t.tgz', tarball);
    const r = await run('install_node_from_registry; command -v node; node --version', {
      NEMOCLAW_NPM_REGISTRY: `${base}/reg`,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${join(r.prefix, 'bin/node')}\nv22.12.0\n`);
    expect(readdirSync(join(r.prefix, 'lib/nemoclaw-node'))).toEqual(['22.12.0']);

    routes.set(
      `/reg/${pkgName}/22.12.0`,
      Buffer.from(
        JSON.stringify({
          dist: {
            tarball: `${base}/reg/t.tgz`,
            integrity: `sha512-${Buffer.alloc(64).toString('base64')}`,
          },
        }),
      ),
    );
    const bad = await run('install_node_from_registry', { NEMOCLAW_NPM_REGISTRY: `${base}/reg` });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`checksum mismatch for ${pkgName}@22.12.0`);
    expect(existsSync(join(bad.prefix, 'bin/node'))).toBe(false);
  });

  it('--help prints usage and exits 0; an unknown option exits 2', () => {
    const h = spawnSync('sh', [INSTALL, '--help'], { encoding: 'utf8' });
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('Usage: install.sh [options]');
    expect(h.stdout).toContain('--non-interactive');
    const bad = spawnSync('sh', [INSTALL, '--bogus'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown option --bogus');
  });

  it('the packaged checksums file has only comments and well-formed lines', () => {
    const lines = readFileSync(join(ROOT, 'scripts/openshell-checksums.txt'), 'utf8').split('\n');
    for (const l of lines.filter((x) => x.trim() && !x.startsWith('#'))) {
      expect(l).toMatch(/^\d+\.\d+\.\d+ (linux|darwin)-(x86_64|aarch64) [0-9a-f]{64} \S+$/);
    }
    const pkgJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkgJson.files).toContain('scripts/openshell-checksums.txt');
    expect(pkgJson.files).toContain('install.sh');
  });
});
