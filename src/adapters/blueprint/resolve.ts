/**
 * Blueprint resolution (product.md §6): the packaged blueprints, a local folder, or an https URL of
 * a tar.gz archive pinned by `sha256:`. Verification happens before every use.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NemoclawError } from '../../core/errors.ts';
import {
  diffFiles,
  digestsEqual,
  treeDigest,
  type FileDifference,
  type FileHashes,
} from '../../core/blueprint/digest.ts';
import {
  DigestString,
  FetchedBlueprintRecordSchema,
  type Blueprint,
  type FetchedBlueprintRecord,
} from '../../core/blueprint/schema.ts';
import { compareVersions, parseVersion } from '../../core/version.ts';
import { ensurePrivateDir, writeFileAtomic } from '../state/atomic.ts';
import { download, extractSafely, findBlueprintRoot, isLoopbackHost } from './fetch.ts';
import { hashBlueprintTree, loadBlueprintFile, loadBlueprintIndex, readYamlFile } from './files.ts';

export { isLoopbackHost, MAX_BLUEPRINT_ARCHIVE_BYTES } from './fetch.ts';

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
  /** A URL is fetched and checked in a temporary folder; nothing is written under `home`. */
  dryRun?: boolean;
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

type FetchedRecord = FetchedBlueprintRecord;

async function readFetchedRecord(path: string): Promise<FetchedRecord | undefined> {
  const st = await stat(path).catch(() => undefined);
  if (!st) return undefined;
  const raw = st.size <= 1024 * 1024 ? await readYamlFile(path, 'Fetched blueprint record') : {};
  const r = FetchedBlueprintRecordSchema.safeParse(raw);
  if (!r.success)
    throw new NemoclawError('corrupt', `The fetched blueprint record ${path} is damaged.`, {
      hint: `Remove it and fetch the blueprint again: rm ${path}`,
    });
  return r.data;
}

async function resolveUrl(url: string, opts: ResolveOptions): Promise<ResolvedBlueprint> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new NemoclawError('invalid', `Blueprint URL ${url} is not a URL.`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) {
    throw new NemoclawError(
      'invalid',
      `Blueprint URL ${url} must use https (http:// is accepted only on loopback: localhost, 127.0.0.0/8, [::1]).`,
      { hint: 'Use an https:// URL.' },
    );
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
  let staging: string;
  let keepUntilExit = false;
  if (opts.dryRun) {
    staging = await mkdtemp(join(tmpdir(), 'nemoclaw-blueprint-'));
  } else {
    await ensurePrivateDir(root);
    staging = join(root, `.fetch-${process.pid}-${randomBytes(4).toString('hex')}`);
    await mkdir(staging, { recursive: true, mode: 0o700 });
  }
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
    // A version this nemoclaw packages is known content: an archive claiming it must match.
    const index = await loadBlueprintIndex(join(opts.packageRoot, 'blueprints', 'index.yaml'));
    const packaged = index.versions[blueprint.version];
    if (packaged && !digestsEqual(packaged.digest, digest)) {
      const first = diffFiles(packaged.files, files)[0];
      throw new NemoclawError(
        'integrity',
        `Blueprint archive from ${url} claims version ${blueprint.version}, which nemoclaw packages, but its content differs.${first ? ` First difference: ${first.path} (${first.change}).` : ''}`,
        {
          hint: `A published version never changes. Use the packaged ${blueprint.version} (--blueprint ${blueprint.version}), or ask the publisher for a new version number.`,
          detail: { expected: packaged.digest, actual: digest },
        },
      );
    }
    const dest = join(root, blueprint.version);
    const recordPath = join(root, `${blueprint.version}.fetched.json`);
    const existing = await readFetchedRecord(recordPath);
    if (existing && !digestsEqual(existing.digest, digest)) {
      throw new NemoclawError(
        'integrity',
        `Blueprint ${blueprint.version} from ${url} differs from the copy fetched before.`,
        {
          hint: `Expected ${existing.digest}, got ${digest}. A version's content must never change.`,
        },
      );
    }
    if (opts.dryRun) {
      // The plan reads the tree (verification, policy diff): it lives in the temp folder until
      // this process exits, and never under the home.
      keepUntilExit = true;
      const tmp = staging;
      process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));
      return {
        version: blueprint.version,
        dir: bpDir,
        assetsRoot: bpDir,
        source: 'url',
        blueprint,
        expected: { digest, files },
      };
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
    if (!keepUntilExit) await rm(staging, { recursive: true, force: true });
  }
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
