/**
 * Blueprint resolution (product.md §6): the packaged blueprints, a local folder, or an https URL of
 * a tar.gz archive pinned by `sha256:`. Verification happens before every use.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NemoclawError } from '../../core/errors.ts';
import {
  diffFiles,
  digestsEqual,
  treeDigest,
  type FileDifference,
  type FileHashes,
} from '../../core/blueprint/digest.ts';
import { DigestString, type Blueprint } from '../../core/blueprint/schema.ts';
import { compareVersions, parseVersion } from '../../core/version.ts';
import { ensurePrivateDir, writeFileAtomic } from '../state/atomic.ts';
import { hashBlueprintTree, loadBlueprintFile, loadBlueprintIndex, readYamlFile } from './files.ts';

export type BlueprintSource = 'packaged' | 'path' | 'url';

export interface ResolvedBlueprint {
  version: string;
  dir: string;
  /** Where the policy and preset references resolve. */
  assetsRoot: string;
  source: BlueprintSource;
  /** undefined only when blueprint.yaml does not parse; verification then fails first. */
  blueprint: Blueprint;
  /** What the digest must be, when something pins it. */
  expected?: { digest: string; files?: FileHashes };
}

export interface Verification {
  ok: boolean;
  version: string;
  expected?: string;
  actual: string;
  differences: FileDifference[];
}

export interface ResolveOptions {
  packageRoot: string;
  home: string;
  /** A version, a local folder, or an https URL; undefined means the newest packaged version. */
  spec?: string;
  /** Required for URLs: `sha256:<hex>` of the archive. */
  sha256?: string;
  fetchImpl?: typeof fetch;
}

export async function listPackagedVersions(packageRoot: string): Promise<string[]> {
  const index = await loadBlueprintIndex(join(packageRoot, 'blueprints', 'index.yaml'));
  return Object.keys(index.versions).sort((a, b) =>
    compareVersions(parseVersion(a)!, parseVersion(b)!),
  );
}

export async function resolveBlueprint(opts: ResolveOptions): Promise<ResolvedBlueprint> {
  const spec = opts.spec?.trim();
  if (spec && /^[a-z]+:\/\//i.test(spec)) return resolveUrl(spec, opts);
  if (spec && (spec.includes('/') || spec.startsWith('.'))) return resolvePath(spec, opts);
  return resolvePackaged(spec, opts.packageRoot);
}

async function resolvePackaged(
  version: string | undefined,
  packageRoot: string,
): Promise<ResolvedBlueprint> {
  const index = await loadBlueprintIndex(join(packageRoot, 'blueprints', 'index.yaml'));
  const versions = Object.keys(index.versions).sort((a, b) =>
    compareVersions(parseVersion(a)!, parseVersion(b)!),
  );
  const v = version ?? versions.at(-1);
  if (!v || !index.versions[v]) {
    throw new NemoclawError(
      'not-found',
      `Blueprint version ${version ?? '(none)'} is not packaged with this nemoclaw.`,
      {
        hint: `Known versions: ${versions.join(', ') || 'none'}. See: nemoclaw blueprint list`,
      },
    );
  }
  const dir = join(packageRoot, 'blueprints', v);
  const entry = index.versions[v]!;
  const expected = { digest: entry.digest, files: entry.files };
  const blueprint = await loadOrExplain(dir, packageRoot, v, expected);
  if (blueprint.version !== v) {
    throw new NemoclawError(
      'integrity',
      `Blueprint folder ${dir} declares version ${blueprint.version}, not ${v}.`,
    );
  }
  return { version: v, dir, assetsRoot: packageRoot, source: 'packaged', blueprint, expected };
}

/** Loads blueprint.yaml; when it does not parse and a digest pins it, the mismatch is the error. */
async function loadOrExplain(
  dir: string,
  assetsRoot: string,
  version: string,
  expected: { digest: string; files: FileHashes },
): Promise<Blueprint> {
  try {
    return await loadBlueprintFile(dir);
  } catch (e) {
    const files = await hashBlueprintTree(dir, assetsRoot, undefined, expected.files);
    const actual = treeDigest(files);
    if (!digestsEqual(actual, expected.digest)) {
      throw integrityError({
        ok: false,
        version,
        expected: expected.digest,
        actual,
        differences: diffFiles(expected.files, files),
      });
    }
    throw e;
  }
}

async function resolvePath(path: string, opts: ResolveOptions): Promise<ResolvedBlueprint> {
  const dir = path;
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new NemoclawError('not-found', `Blueprint folder ${dir} does not exist.`, {
      hint: 'Pass a folder that holds blueprint.yaml, a packaged version, or an https URL with --blueprint-sha256.',
    });
  }
  const blueprint = await loadBlueprintFile(dir);
  // A local folder with the version of a packaged blueprint must match it byte for byte.
  const index = await loadBlueprintIndex(join(opts.packageRoot, 'blueprints', 'index.yaml'));
  const entry = index.versions[blueprint.version];
  return {
    version: blueprint.version,
    dir,
    assetsRoot: dir,
    source: 'path',
    blueprint,
    expected: entry ? { digest: entry.digest, files: entry.files } : undefined,
  };
}

interface FetchedRecord {
  url: string;
  archiveSha256: string;
  digest: string;
  files: FileHashes;
}

async function resolveUrl(url: string, opts: ResolveOptions): Promise<ResolvedBlueprint> {
  const u = new URL(url);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    throw new NemoclawError('invalid', `Blueprint URL ${url} must use https.`, {
      hint: 'Use an https:// URL.',
    });
  }
  if (!opts.sha256 || !DigestString.safeParse(opts.sha256).success) {
    throw new NemoclawError(
      'invalid',
      'A blueprint URL needs a pin: --blueprint-sha256 sha256:<64 hex> of the archive.',
      {
        hint: 'Ask the publisher for the archive checksum; nemoclaw never runs an unpinned remote blueprint.',
      },
    );
  }
  const want = opts.sha256.slice('sha256:'.length);
  const root = join(opts.home, 'blueprints');
  await ensurePrivateDir(root);
  const staging = join(root, `.fetch-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    const archive = join(staging, 'blueprint.tar.gz');
    const got = await download(url, archive, opts.fetchImpl ?? fetch);
    if (got !== want) {
      throw new NemoclawError(
        'integrity',
        `Blueprint archive from ${url} does not match its pin.`,
        {
          hint: `Expected sha256:${want}, got sha256:${got}. Do not use this archive; check the URL and the pin.`,
          detail: { expected: `sha256:${want}`, actual: `sha256:${got}` },
        },
      );
    }
    const tree = join(staging, 'tree');
    await extractSafely(archive, tree);
    const bpDir = await findBlueprintRoot(tree);
    const blueprint = await loadBlueprintFile(bpDir);
    const files = await hashBlueprintTree(bpDir, bpDir, blueprint);
    const digest = treeDigest(files);
    const dest = join(root, blueprint.version);
    const recordPath = join(root, `${blueprint.version}.fetched.json`);
    const existing = (await readYamlFile(recordPath, 'Fetched blueprint record').catch(
      () => undefined,
    )) as FetchedRecord | undefined;
    if (existing && !digestsEqual(existing.digest, digest)) {
      throw new NemoclawError(
        'integrity',
        `Blueprint ${blueprint.version} from ${url} differs from the copy fetched before.`,
        {
          hint: `Expected ${existing.digest}, got ${digest}. A version's content must never change.`,
        },
      );
    }
    await rm(dest, { recursive: true, force: true });
    await rename(bpDir, dest);
    const record: FetchedRecord = { url, archiveSha256: `sha256:${want}`, digest, files };
    await writeFileAtomic(recordPath, JSON.stringify(record, null, 2));
    return {
      version: blueprint.version,
      dir: dest,
      assetsRoot: dest,
      source: 'url',
      blueprint,
      expected: { digest, files },
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function download(url: string, dest: string, fetchImpl: typeof fetch): Promise<string> {
  let res: Response;
  try {
    res = await fetchImpl(url, { signal: AbortSignal.timeout(60_000), redirect: 'follow' });
  } catch (e) {
    throw new NemoclawError(
      'unavailable',
      `Cannot download the blueprint from ${url}: ${(e as Error).message}`,
      {
        hint: 'Check the URL and your network or proxy settings.',
        cause: e,
      },
    );
  }
  if (!res.ok || !res.body) {
    throw new NemoclawError(
      'unavailable',
      `Downloading the blueprint from ${url} failed with HTTP ${res.status}.`,
      {
        hint: 'Check the URL.',
      },
    );
  }
  const hash = createHash('sha256');
  const body = Readable.fromWeb(res.body as never);
  body.on('data', (c: Buffer) => hash.update(c));
  await pipeline(body, createWriteStream(dest, { mode: 0o600 }));
  return hash.digest('hex');
}

async function extractSafely(archive: string, dest: string): Promise<void> {
  const tar = await import('tar');
  await mkdir(dest, { recursive: true, mode: 0o700 });
  const refused: string[] = [];
  await tar.x({
    file: archive,
    cwd: dest,
    strict: true,
    preservePaths: false,
    filter: (path, entry) => {
      const type = (entry as { type?: string }).type;
      const bad =
        path.startsWith('/') ||
        path.split('/').includes('..') ||
        (type !== 'File' && type !== 'Directory');
      if (bad) refused.push(`${path} (${type})`);
      return !bad;
    },
  });
  if (refused.length > 0) {
    throw new NemoclawError(
      'integrity',
      `Blueprint archive holds entries that are not allowed: ${refused.slice(0, 5).join(', ')}.`,
      {
        hint: 'A blueprint archive may contain only regular files and folders with relative paths.',
      },
    );
  }
}

async function findBlueprintRoot(tree: string): Promise<string> {
  const entries = await readdir(tree, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name === 'blueprint.yaml')) return tree;
  const dirs = entries.filter((e) => e.isDirectory());
  if (dirs.length === 1) return findBlueprintRoot(join(tree, dirs[0]!.name));
  throw new NemoclawError('corrupt', 'The blueprint archive has no blueprint.yaml at its top.');
}

export async function verifyBlueprint(r: ResolvedBlueprint): Promise<Verification> {
  const files = await hashBlueprintTree(r.dir, r.assetsRoot, r.blueprint, r.expected?.files);
  const actual = treeDigest(files);
  if (!r.expected) return { ok: true, version: r.version, actual, differences: [] };
  const ok = digestsEqual(r.expected.digest, actual);
  const differences = ok ? [] : r.expected.files ? diffFiles(r.expected.files, files) : [];
  return { ok, version: r.version, expected: r.expected.digest, actual, differences };
}

/** Verification that refuses to continue on a mismatch. */
export async function verifyOrThrow(r: ResolvedBlueprint): Promise<Verification> {
  const v = await verifyBlueprint(r);
  if (!v.ok) throw integrityError(v);
  return v;
}

export function integrityError(v: Verification): NemoclawError {
  const first = v.differences[0];
  const what = first ? ` First difference: ${first.path} (${first.change}).` : '';
  return new NemoclawError(
    'integrity',
    `Blueprint ${v.version} failed verification: expected ${v.expected}, actual ${v.actual}.${what}`,
    {
      hint: 'Reinstall nemoclaw or restore the blueprint files; nemoclaw will not use a modified blueprint.',
      detail: { expected: v.expected, actual: v.actual, differences: v.differences },
    },
  );
}
