/**
 * install.sh end to end in a clean container built here: a busybox root filesystem plus this host's
 * Node.js binary (and its shared libraries) and npm, no network. The installer gets the bundled
 * package (scripts/pack-bundled.mjs) and a fake OpenShell release in a local folder, and afterwards
 * `nemoclaw --version` and `openshell --version` must work.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create as tarCreate, extract as tarExtract } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RUN_ID,
  TEST_LABEL,
  busyboxRootfsDir,
  cleanupRun,
  docker,
  skipWithoutDocker,
  uniqueName,
} from '../helpers/docker.ts';

const ROOT = join(import.meta.dirname, '../..');
const skip =
  (await skipWithoutDocker('install.sh in a clean container')) || process.platform !== 'linux';
const VERSION = /max_version: *([0-9.]+)/.exec(
  readFileSync(join(ROOT, 'blueprints/0.1.0/blueprint.yaml'), 'utf8'),
)![1]!;
const ASSET = `openshell-${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-unknown-linux-musl.tar.gz`;
// Applets install.sh uses beyond the helper's default set.
const EXTRA_APPLETS = [
  'awk',
  'od',
  'base64',
  'sha512sum',
  'sha1sum',
  'uname',
  'cut',
  'sort',
  'tr',
  'env',
  'wget',
  'httpd',
  'wc',
  'dirname',
  'tail',
];

/** The node binary and the shared libraries it links, at their own paths. */
function nodeFiles(): string[] {
  const node = realpathSync(process.execPath);
  const libs = execFileSync('ldd', [node], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /(\/\S+) \(0x/.exec(l)?.[1])
    .filter((p): p is string => Boolean(p));
  return [node, ...libs];
}

describe.skipIf(skip)('install.sh in a clean container', () => {
  let work: string;
  let image: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nc-install-ctr-'));
    const root = busyboxRootfsDir();
    try {
      for (const a of EXTRA_APPLETS) {
        try {
          symlinkSync('busybox', join(root, 'bin', a));
        } catch {
          // already there
        }
      }
      const [node, ...libs] = nodeFiles();
      for (const f of libs) {
        mkdirSync(join(root, dirname(f)), { recursive: true });
        copyFileSync(realpathSync(f), join(root, f));
      }
      cpSync(node!, join(root, 'usr/bin/node'));
      const npmDir = realpathSync(
        join(
          dirname(
            realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim()),
          ),
          '..',
        ),
      );
      cpSync(npmDir, join(root, 'usr/lib/node_modules/npm'), {
        recursive: true,
        dereference: true,
      });
      symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/bin/npm'));
      symlinkSync('/bin/busybox', join(root, 'usr/bin/env'));

      // What the installer gets: itself, the bundled package, and a fake OpenShell release.
      mkdirSync(join(root, 'src/release'), { recursive: true });
      cpSync(join(ROOT, 'install.sh'), join(root, 'src/install.sh'));
      execFileSync(process.execPath, [join(ROOT, 'scripts/pack-bundled.mjs'), join(root, 'src')], {
        stdio: 'ignore',
      });
      // Laid out like the GitHub release: the one-binary archive and the release's checksums file.
      const rel = join(work, 'rel');
      mkdirSync(rel, { recursive: true });
      writeFileSync(join(rel, 'openshell'), `#!/bin/sh\necho "openshell ${VERSION}"\n`);
      chmodSync(join(rel, 'openshell'), 0o755);
      const asset = join(root, `src/release/${ASSET}`);
      await tarCreate({ gzip: true, cwd: rel, file: asset, portable: true }, ['openshell']);
      writeFileSync(
        join(root, 'src/release/openshell-checksums-sha256.txt'),
        `${createHash('sha256').update(readFileSync(asset)).digest('hex')}  ${ASSET}\n`,
      );

      await releaseSites(root);

      image = `${uniqueName('nc-install-clean')}:1`;
      const [repo, tag] = image.split(':');
      const d = docker();
      const stream = (await d.importImage(
        tarCreate({ cwd: root, portable: true }, ['.']) as never,
        {
          repo,
          tag,
          changes: [
            `LABEL ${TEST_LABEL}=${RUN_ID}`,
            'ENV PATH=/usr/local/bin:/usr/bin:/bin',
            'ENV HOME=/root',
          ],
        } as never,
      )) as unknown as NodeJS.ReadableStream;
      await new Promise<void>((res, rej) =>
        d.modem.followProgress(stream, (e) => (e ? rej(e) : res())),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 240_000);
  afterAll(async () => {
    await cleanupRun();
    rmSync(work, { recursive: true, force: true });
  });

  it('installs nemoclaw and the pinned OpenShell offline; both answer --version afterwards', async () => {
    const script = [
      'set -e',
      'sh /src/install.sh --non-interactive --package /src/nemoclaw-*-bundled.tgz',
      'echo "--- after"',
      'nemoclaw --version',
      'openshell --version',
      'cat /root/.nemoclaw/install-receipt',
      'echo "--- again"',
      'sh /src/install.sh --non-interactive --skip-openshell --package /src/nemoclaw-*-bundled.tgz 2>&1 | tail -n 3',
      'echo "--- user"',
      'HOME=/tmp/u NEMOCLAW_INSTALL_PREFIX=/tmp/u/.local sh /src/install.sh --non-interactive --skip-openshell --package /src/nemoclaw-*-bundled.tgz 2>&1 | tail -n 4',
      'cat /tmp/u/.profile',
    ].join('\n');
    const d = docker();
    const c = await d.createContainer({
      Image: image,
      Cmd: ['sh', '-c', script],
      Env: [
        'NEMOCLAW_OPENSHELL_RELEASE_URL=/src/release',
        'NPM_CONFIG_UPDATE_NOTIFIER=false',
        'NPM_CONFIG_LOGLEVEL=error',
      ],
      Labels: { [TEST_LABEL]: RUN_ID },
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      await c.start();
      const { StatusCode } = (await c.wait()) as { StatusCode: number };
      const raw = (await c.logs({ stdout: true, stderr: true })) as unknown as Buffer;
      const out = demux(raw);
      expect(out, out).not.toContain('Error:');
      expect(StatusCode, out).toBe(0);
      // No apt-get and no os-release in this image: the Docker step can only say how.
      expect(out).toMatch(/Warning: Docker was not found/);
      expect(out).toContain('Node.js: v');
      expect(out).toContain('Notice: this nemoclaw pins no digest for OpenShell');
      expect(out).toContain(`OpenShell: openshell ${VERSION}`);
      const after = out.slice(out.indexOf('--- after'), out.indexOf('--- again'));
      expect(after).toMatch(/nemoclaw v\d+\.\d+\.\d+\n/);
      expect(after).toContain(`openshell ${VERSION}\n`);
      expect(after).toContain('openshell_path=/usr/local/bin/openshell');
      const again = out.slice(out.indexOf('--- again'), out.indexOf('--- user'));
      expect(again).toContain('Done. Next: nemoclaw onboard');
      expect(again).not.toContain('PATH');
      const user = out.slice(out.indexOf('--- user'));
      expect(user).toContain('Added /tmp/u/.local/bin to the PATH in /tmp/u/.profile');
      expect(user).toContain(
        'export PATH="/tmp/u/.local/bin:$PATH"  # added by nemoclaw install.sh',
      );
    } finally {
      await c.remove({ force: true }).catch(() => {});
    }
  }, 240_000);
  it("the README's first command installs everything from the release sites, then nemoclaw doctor passes", async () => {
    // The README's first command, exactly as written, run where a user downloaded install.sh.
    const first = readmeFirstCommand();
    expect(first).toBe('./install.sh --yes');
    const script = [
      'set -e',
      // The release sites: a GitHub release of OpenShell and an npm registry, on this loopback.
      `busybox httpd -p 127.0.0.1:${SITE_PORT} -h /srv`,
      'mkdir -p /opt/get && cp /src/install.sh /opt/get/ && chmod 755 /opt/get/install.sh && cd /opt/get',
      `${first} </dev/null`,
      'echo "--- doctor"',
      'cd / && nemoclaw doctor',
    ].join('\n');
    const d = docker();
    const c = await d.createContainer({
      Image: image,
      Cmd: ['sh', '-c', script],
      Env: [
        `NEMOCLAW_OPENSHELL_RELEASE_URL=http://127.0.0.1:${SITE_PORT}/NVIDIA/OpenShell/releases/download/v${VERSION}`,
        `NPM_CONFIG_REGISTRY=http://127.0.0.1:${SITE_PORT}/npm/`,
        'NPM_CONFIG_UPDATE_NOTIFIER=false',
        'NPM_CONFIG_LOGLEVEL=error',
        // The stand-in openshell (the simulator) keeps its state here.
        'OPENSHELL_SIM_STATE=/tmp/openshell-sim',
        'OPENSHELL_SIM_DOCKER=0',
      ],
      Labels: { [TEST_LABEL]: RUN_ID },
      // No network but loopback; the host's Docker Engine is what `doctor` checks.
      HostConfig: { NetworkMode: 'none', Binds: [`${SOCKET}:/var/run/docker.sock`] },
    });
    try {
      await c.start();
      const { StatusCode } = (await c.wait()) as { StatusCode: number };
      const out = demux((await c.logs({ stdout: true, stderr: true })) as unknown as Buffer);
      expect(StatusCode, out).toBe(0);
      expect(out).toContain('Notice: this nemoclaw pins no digest for OpenShell');
      expect(out).toContain(`OpenShell: openshell ${VERSION}`);
      expect(out).toContain('Done. Next: nemoclaw onboard');
      const doctor = out.slice(out.indexOf('--- doctor'));
      expect(doctor).toMatch(/✓ Docker Engine reachable/);
      expect(doctor).toContain(`✓ OpenShell CLI: openshell ${VERSION}`);
      expect(doctor).toMatch(/\d+ ok, \d+ warning\(s\), 0 failure\(s\)/);
    } finally {
      await c.remove({ force: true }).catch(() => {});
    }
  }, 240_000);
});

function demux(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length && buf[i + 1] === 0) {
    const len = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  return i === 0 ? buf.toString('utf8') : Buffer.concat(parts).toString('utf8');
}

const SITE_PORT = 8731;
const SOCKET = '/var/run/docker.sock';

/** The first command of the README's quick start (the first line of its first code block). */
function readmeFirstCommand(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const quick = readme.slice(readme.indexOf('## Quick start'));
  const block = /```bash\n([\s\S]*?)```/.exec(quick)![1]!;
  return block
    .split('\n')[0]!
    .replace(/\s+#.*$/, '')
    .trim();
}

/**
 * /srv laid out like the release sites: the OpenShell release (its CLI archive holding a stand-in
 * openshell — the simulator bundled into one file, for this test only, never shipped — and the
 * release's checksums file) and an npm registry serving nemoclaw (the bundled package).
 */
async function releaseSites(root: string): Promise<void> {
  const { build } = await import('esbuild');
  const work = mkdtempSync(join(tmpdir(), 'nc-sites-'));
  try {
    await build({
      entryPoints: [join(ROOT, 'test/simulator/main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      outfile: join(work, 'openshell'),
      external: ['cpu-features', '*.node'],
      banner: {
        js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
      logLevel: 'error',
    });
    chmodSync(join(work, 'openshell'), 0o755);
    const rel = join(root, `srv/NVIDIA/OpenShell/releases/download/v${VERSION}`);
    mkdirSync(rel, { recursive: true });
    await tarCreate({ gzip: true, cwd: work, file: join(rel, ASSET), portable: true }, [
      'openshell',
    ]);
    const digest = createHash('sha256')
      .update(readFileSync(join(rel, ASSET)))
      .digest('hex');
    writeFileSync(join(rel, 'openshell-checksums-sha256.txt'), `${digest}  ${ASSET}\n`);

    // The registry: a packument for nemoclaw whose one version is the bundled package.
    const tgzName = readdirSync(join(root, 'src')).find((f) =>
      /^nemoclaw-.*-bundled\.tgz$/.test(f),
    )!;
    const tgz = readFileSync(join(root, 'src', tgzName));
    await tarExtract({ file: join(root, 'src', tgzName), cwd: work }, ['package/package.json']);
    const manifest = JSON.parse(readFileSync(join(work, 'package/package.json'), 'utf8'));
    mkdirSync(join(root, 'srv/npm/tarballs'), { recursive: true });
    writeFileSync(join(root, `srv/npm/tarballs/nemoclaw-${manifest.version}.tgz`), tgz);
    const dist = {
      tarball: `http://127.0.0.1:${SITE_PORT}/npm/tarballs/nemoclaw-${manifest.version}.tgz`,
      integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
      shasum: createHash('sha1').update(tgz).digest('hex'),
    };
    writeFileSync(
      join(root, 'srv/npm/nemoclaw'),
      JSON.stringify({
        name: 'nemoclaw',
        'dist-tags': { latest: manifest.version },
        versions: { [manifest.version]: { ...manifest, dist } },
      }),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
