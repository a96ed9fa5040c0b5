/**
 * The real agent for tests: the `openclaw` package at the version the blueprint pins, installed
 * once per machine into a cache folder outside the repository (never into the project's
 * dependencies), and a base image holding it on this host's Node binary, its shared libraries and
 * busybox. The image is imported through the Engine API and tagged by content, so CI builds it once
 * per machine; it is a cache: it carries `nemoclaw.test.cache=openclaw-base` (find it with
 * `docker images --filter label=nemoclaw.test.cache`) and not the per-run label, so runs keep it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chownSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { create as tarCreate } from 'tar';
import { parse as parseYaml } from 'yaml';
import { busyboxRootfsDir, docker } from './docker.ts';

const run = promisify(execFile);

export const CACHE_LABEL = 'nemoclaw.test.cache';
const REPO = 'nemoclaw-test-openclaw-base';
/** Bump when the image layout below changes. */
const LAYOUT = 2;

export const CACHE_ROOT = process.env.NEMOCLAW_TEST_CACHE ?? join(tmpdir(), 'nemoclaw-test-cache');

/** The openclaw version blueprint 0.1.0 pins (`agents.openclaw.agent_package`). */
export function pinnedOpenclawVersion(): string {
  const bp = parseYaml(
    readFileSync(join(import.meta.dirname, '../../blueprints/0.1.0/blueprint.yaml'), 'utf8'),
  ) as { agents: { openclaw: { agent_package?: { name: string; version: string } } } };
  const v = bp.agents.openclaw.agent_package?.version;
  if (!v)
    throw new Error('blueprint 0.1.0 pins no openclaw version (agents.openclaw.agent_package)');
  return v;
}

/**
 * `<cache>/openclaw-<version>` with `node_modules/openclaw` in it; installed with npm on first use
 * (into a temp folder renamed into place, so a killed install leaves nothing half-made).
 */
export async function openclawPackage(version = pinnedOpenclawVersion()): Promise<string> {
  const dir = join(CACHE_ROOT, `openclaw-${version}`);
  const pkg = join(dir, 'node_modules/openclaw/package.json');
  if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).version === version) return dir;
  mkdirSync(CACHE_ROOT, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await run(
    'npm',
    ['install', '--prefix', tmp, '--no-audit', '--no-fund', '--no-save', `openclaw@${version}`],
    { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_loglevel: 'error' } },
  );
  if (existsSync(pkg)) rmSync(tmp, { recursive: true, force: true });
  else renameSync(tmp, dir);
  return dir;
}

/** The openclaw CLI of the cached package, for host-side runs. */
export function openclawBin(pkgDir: string): string {
  return join(pkgDir, 'node_modules/openclaw/openclaw.mjs');
}

async function sharedLibs(binaries: string[]): Promise<string[]> {
  const libs = new Set<string>();
  for (const b of binaries) {
    const out = await run('ldd', [b]).then(
      (r) => r.stdout,
      () => '',
    );
    for (const m of out.matchAll(/(\/[^\s)]+\.so[^\s)]*)/g)) libs.add(m[1]!);
  }
  return [...libs].sort();
}

function nativeAddons(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) nativeAddons(p, out);
    else if (
      e.isFile() &&
      e.name.endsWith('.node') &&
      /linux.?x64|x86_64/.test(p) &&
      !/musl/.test(p)
    )
      out.push(p);
  }
  return out;
}

/** Mirrors a tree with hard links (no copy of the ~650 MB package). */
function linkTree(src: string, dst: string): void {
  mkdirSync(dst, { recursive: true });
  for (const e of readdirSync(src, { withFileTypes: true })) {
    const s = join(src, e.name);
    const d = join(dst, e.name);
    if (e.isDirectory()) linkTree(s, d);
    else if (e.isSymbolicLink()) symlinkSync(readlinkSync(s), d);
    else if (e.isFile()) {
      try {
        linkSync(s, d);
      } catch {
        copyFileSync(s, d);
      }
    }
  }
}

function contentTag(version: string, node: string): string {
  const h = createHash('sha256');
  h.update(`layout ${LAYOUT}\nopenclaw ${version}\n`);
  const st = statSync(node);
  h.update(`node ${process.version} ${st.size} ${st.mtimeMs}\n`);
  return `${REPO}:${version}-${h.digest('hex').slice(0, 12)}`;
}

let building: Promise<string> | undefined;

/** The base image with the real openclaw; built once per machine (per content), then reused. */
export function openclawBaseImage(): Promise<string> {
  return (building ??= buildBase());
}

async function buildBase(): Promise<string> {
  const version = pinnedOpenclawVersion();
  const node = realpathSync(process.execPath);
  const tag = contentTag(version, node);
  const d = docker();
  if (
    await d
      .getImage(tag)
      .inspect()
      .then(
        () => true,
        () => false,
      )
  )
    return tag;
  const pkgDir = await openclawPackage(version);
  const modules = join(pkgDir, 'node_modules');
  const libs = await sharedLibs([node, ...nativeAddons(modules)]);
  const root = busyboxRootfsDir();
  try {
    copyFileSync(node, join(root, 'usr/bin/node'));
    for (const lib of libs) {
      const target = join(root, lib);
      mkdirSync(dirname(target), { recursive: true });
      if (!existsSync(target)) copyFileSync(realpathSync(lib), target);
    }
    symlinkSync('/bin/busybox', join(root, 'usr/bin/env'));
    linkTree(modules, join(root, 'usr/local/lib/node_modules'));
    symlinkSync('../lib/node_modules/openclaw/openclaw.mjs', join(root, 'usr/local/bin/openclaw'));
    mkdirSync(join(root, 'sandbox'), { recursive: true });
    chownSync(join(root, 'sandbox'), 1000, 1000);
    const [repo, version_] = tag.split(':') as [string, string];
    const stream = (await d.importImage(
      tarCreate({ cwd: root, portable: false }, ['.']) as never,
      {
        repo,
        tag: version_,
        changes: [
          `LABEL ${CACHE_LABEL}=openclaw-base`,
          `LABEL ${CACHE_LABEL}.openclaw=${version}`,
          'ENV PATH=/usr/local/bin:/usr/bin:/bin',
          'ENV HOME=/sandbox',
          'CMD ["/bin/sh"]',
        ],
      } as never,
    )) as unknown as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) =>
      d.modem.followProgress(stream, (err) => (err ? reject(err) : resolve())),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return tag;
}
