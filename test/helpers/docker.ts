/**
 * Docker for tests: a real engine, local images only. Everything a test makes carries the label
 * `nemoclaw.test=<run id>` so it can be removed, and names are unique.
 */
import Docker from 'dockerode';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { create as tarCreate } from 'tar';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const TEST_LABEL = 'nemoclaw.test';
export const RUN_ID = process.env.NEMOCLAW_TEST_RUN_ID ?? randomBytes(4).toString('hex');

let cached: Promise<boolean> | undefined;

export function docker(): Docker {
  return new Docker();
}

export function dockerAvailable(): Promise<boolean> {
  return (cached ??= docker()
    .ping()
    .then(() => true)
    .catch(() => false));
}

/**
 * For describe.skipIf: true when the suite must be skipped. Without an engine it says so loudly;
 * under NEMOCLAW_TEST_REQUIRE_DOCKER=1 a missing engine is a failure, not a skip.
 */
export async function skipWithoutDocker(suite: string): Promise<boolean> {
  if (await dockerAvailable()) return false;
  if (process.env.NEMOCLAW_TEST_REQUIRE_DOCKER === '1') {
    throw new Error(
      `${suite}: no Docker Engine answers, and NEMOCLAW_TEST_REQUIRE_DOCKER=1 forbids skipping.`,
    );
  }
  process.stderr.write(
    `\n*** SKIPPING ${suite}: no Docker Engine answers (set DOCKER_HOST or start dockerd) ***\n\n`,
  );
  return true;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${RUN_ID}-${randomBytes(3).toString('hex')}`;
}

const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'];
const APPLETS = [
  'sh',
  'ls',
  'cat',
  'echo',
  'sleep',
  'mkdir',
  'rm',
  'cp',
  'mv',
  'chmod',
  'chown',
  'tar',
  'gzip',
  'env',
  'id',
  'sha256sum',
  'find',
  'grep',
  'sed',
  'head',
  'tail',
  'wc',
  'stat',
  'touch',
  'ln',
  'true',
  'false',
  'test',
  'printf',
  'nc',
  'httpd',
  'wget',
  'ps',
  'kill',
  'adduser',
  'addgroup',
  'whoami',
  'date',
  'uname',
  'hostname',
  'dd',
  'xargs',
  'sort',
  'tr',
  'cut',
  'readlink',
  'basename',
  'dirname',
  'mktemp',
  'vi',
  'diff',
  'seq',
  'yes',
  'timeout',
  'nslookup',
  'realpath',
  'du',
  'df',
];

export function findBusybox(): string {
  const p = BUSYBOX_CANDIDATES.find((c) => existsSync(c));
  if (!p) throw new Error('busybox-static is not installed (apt-get install busybox-static)');
  return p;
}

export interface RootfsFile {
  path: string; // absolute in the image
  content: string | Buffer;
  mode?: number;
}

/** Writes a minimal busybox root filesystem plus extra files into a temp folder. */
export function busyboxRootfsDir(extra: RootfsFile[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'nc-rootfs-'));
  const dirs = [
    'bin',
    'etc',
    'tmp',
    'sandbox',
    'usr/bin',
    'usr/local/bin',
    'var/log',
    'root',
    'home',
  ];
  for (const d of dirs) mkdirSync(join(root, d), { recursive: true, mode: 0o755 });
  chmodSync(join(root, 'tmp'), 0o1777);
  copyFileSync(findBusybox(), join(root, 'bin/busybox'));
  chmodSync(join(root, 'bin/busybox'), 0o755);
  for (const a of APPLETS) symlinkSync('busybox', join(root, 'bin', a));
  writeFileSync(
    join(root, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\nsandbox:x:1000:1000:sandbox:/sandbox:/bin/sh\n',
  );
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nsandbox:x:1000:\n');
  for (const f of extra) {
    const full = join(root, f.path.replace(/^\/+/, ''));
    mkdirSync(dirname(full), { recursive: true, mode: 0o755 });
    writeFileSync(full, f.content);
    chmodSync(full, f.mode ?? 0o644);
  }
  return root;
}

/** Imports a busybox root filesystem as a local image (no registry needed). */
export async function importBusyboxImage(
  tag: string,
  options: {
    extra?: RootfsFile[];
    cmd?: string[];
    entrypoint?: string[];
    labels?: Record<string, string>;
  } = {},
): Promise<string> {
  const d = docker();
  const changes = [
    `LABEL ${TEST_LABEL}=${RUN_ID}`,
    ...Object.entries(options.labels ?? {}).map(([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`),
    `CMD ${JSON.stringify(options.cmd ?? ['/bin/sh'])}`,
    ...(options.entrypoint ? [`ENTRYPOINT ${JSON.stringify(options.entrypoint)}`] : []),
    'ENV PATH=/usr/local/bin:/usr/bin:/bin',
  ];
  const root = busyboxRootfsDir(options.extra);
  try {
    const [repo, version] = splitTag(tag);
    const tarStream = tarCreate({ cwd: root, portable: true }, ['.']);
    const stream = (await d.importImage(
      tarStream as never,
      {
        repo,
        tag: version,
        changes,
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

function splitTag(tag: string): [string, string] {
  const i = tag.lastIndexOf(':');
  return i > tag.lastIndexOf('/') ? [tag.slice(0, i), tag.slice(i + 1)] : [tag, 'latest'];
}

/** Removes every container, image and volume labelled with this run's id. */
export async function cleanupRun(runId = RUN_ID): Promise<void> {
  const d = docker();
  const filters = JSON.stringify({ label: [`${TEST_LABEL}=${runId}`] });
  for (const c of await d.listContainers({ all: true, filters })) {
    await d
      .getContainer(c.Id)
      .remove({ force: true, v: true })
      .catch(() => {});
  }
  // The simulator's data-plane networks (its proxy also removes them when its state goes).
  for (const n of await d.listNetworks({ filters })) {
    await d
      .getNetwork(n.Id)
      .remove()
      .catch(() => {});
  }
  for (const v of (await d.listVolumes({ filters })).Volumes ?? []) {
    await d
      .getVolume(v.Name)
      .remove()
      .catch(() => {});
  }
  for (const i of await d.listImages({ filters })) {
    await d
      .getImage(i.Id)
      .remove({ force: true })
      .catch(() => {});
  }
}
