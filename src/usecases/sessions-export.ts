/**
 * `<name> sessions export [--out DIR | --format tar] [--since D]`: the agent's session logs, copied
 * out of the sandbox, redacted on the host side, with a manifest of SHA-256 hashes.
 *
 * In the sandbox: one listing, then one staging step that copies the chosen files into a private
 * temp folder (SQLite databases through SQLite's online backup, so a copy taken while the agent
 * writes is still consistent), one download of that folder, and its removal. On the host: the
 * copies are redacted (text line by line, databases value by value), hashed, and listed in
 * manifest.json; with --format tar, packed into one .tar.gz.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Context } from '../context.ts';
import type { World } from '../world.ts';
import { parseSince } from '../core/audit.ts';
import { NemoclawError, UsageError } from '../core/errors.ts';
import { redact } from '../core/redact.ts';
import {
  LIST_SCRIPT as LIST,
  STAGE_SCRIPT as STAGE,
  redactText,
  selectSessionFiles,
  sessionRoots,
  type ManifestEntry,
  type SessionsManifest,
} from '../core/sessions.ts';
import { sandboxEntry } from './policy-shared.ts';
import { agentStatePaths } from './snapshot.ts';
import { warnLost } from './unobserved.ts';

export interface SessionsExportOptions {
  sandbox: string;
  out?: string;
  format?: string;
  since?: string;
}

export async function sessionsExport(
  ctx: Context,
  world: Pick<World, 'files' | 'blueprints'>,
  client: Pick<OpenshellClient, 'sandboxGet' | 'sandboxExec' | 'sandboxDownload'>,
  o: SessionsExportOptions,
): Promise<number> {
  const format = o.format ?? 'dir';
  if (format !== 'dir' && format !== 'tar') {
    throw new UsageError(`--format must be dir or tar, not "${format}".`);
  }
  const since = o.since !== undefined ? parseSince(o.since, ctx.now()) : undefined;
  if (o.since !== undefined && !since) {
    throw new UsageError(`--since "${o.since}" is neither a date nor a duration.`, {
      hint: 'Use an ISO date (2026-05-01) or a duration back from now (30m, 12h, 7d).',
    });
  }
  const entry = await sandboxEntry(ctx, o.sandbox);
  const stamp = ctx.now().toISOString().replace(/[:.]/g, '-');
  const base = `${o.sandbox}-sessions-${stamp}`;
  const target = resolve(ctx.cwd, o.out ?? (format === 'tar' ? `${base}.tar.gz` : base));
  if (await stat(target).catch(() => undefined)) {
    throw new UsageError(`${target} already exists; nemoclaw does not overwrite an export.`, {
      hint: 'Choose another --out, or move the old one away.',
    });
  }
  const sb = await client.sandboxGet(o.sandbox);
  if (!sb || sb.phase !== 'Ready') {
    throw new NemoclawError(
      'unavailable',
      `Sandbox ${o.sandbox} is ${sb ? sb.phase : 'not known to OpenShell'}, not Ready.`,
      { hint: `Bring it back with \`nemoclaw ${o.sandbox} recover\`, then run this again.` },
    );
  }

  // Observe: what is there, under the agent's state paths (its blueprint's, not a fixed layout).
  const statePaths = await agentStatePaths(ctx, world, entry);
  const listing = await client.sandboxExec(o.sandbox, [
    'sh',
    '-c',
    LIST,
    'sh',
    ...sessionRoots(entry.agent, statePaths),
  ]);
  if (listing.exitCode !== 0) {
    throw new NemoclawError('failed', `Listing the session files of ${o.sandbox} failed.`, {
      detail: { stderr: redact(listing.stderr) },
    });
  }
  const files = selectSessionFiles(entry.agent, statePaths, listing.stdout, since);
  ctx.ui.info(`Exporting ${files.length} session file(s) from ${o.sandbox} (${entry.agent}).`);

  const work = await mkdtemp(join(tmpdir(), 'nemoclaw-sessions-'));
  const remote = `/tmp/.nemoclaw-export-${randomBytes(6).toString('hex')}`;
  const skipped: SessionsManifest['skipped'] = [];
  const manifestFiles: ManifestEntry[] = [];
  try {
    const tree = join(work, 'tree');
    await mkdir(tree, { recursive: true, mode: 0o700 });
    if (files.length > 0) {
      const staged = await client.sandboxExec(o.sandbox, ['sh', '-c', STAGE, 'sh', remote], {
        input: files
          .map((f) => `${f.kind === 'sqlite' ? 'sqlite' : 'file'}\t${f.path}`)
          .join('\n')
          .concat('\n'),
      });
      const ok = new Set<string>();
      for (const l of staged.stdout.split('\n')) {
        const [tag, path, reason] = l.split('\t');
        if (tag === 'OK' && path) ok.add(path);
        if (tag === 'SKIP' && path) skipped.push({ path, reason: reason ?? 'skipped' });
      }
      try {
        if (ok.size > 0) await client.sandboxDownload(o.sandbox, remote, tree);
      } finally {
        // The staged copy is not redacted: leaving it behind silently would be wrong.
        await client
          .sandboxExec(o.sandbox, ['rm', '-rf', remote])
          .then((r) => {
            if (r.exitCode !== 0) throw new Error(r.stderr.trim() || `exit ${r.exitCode}`);
          })
          .catch((e: unknown) =>
            warnLost(
              ctx,
              {
                id: 'sessions.staged-copy',
                what: `remove the staged copy ${remote} in ${o.sandbox}`,
                consequence: `it stays in the sandbox; remove it with: nemoclaw ${o.sandbox} exec -- rm -rf ${remote}`,
              },
              e,
            ),
          );
      }
      for (const f of files.filter((x) => ok.has(x.path))) {
        manifestFiles.push(await redactAndHash(world, tree, f.path, f.kind));
      }
    }
    const manifest: SessionsManifest = {
      schemaVersion: 1,
      sandbox: o.sandbox,
      agent: entry.agent,
      exportedAt: ctx.now().toISOString(),
      ...(since ? { since: since.toISOString() } : {}),
      files: manifestFiles,
      skipped,
    };
    await writeFile(join(tree, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, {
      mode: 0o600,
    });
    await mkdir(dirname(target), { recursive: true });
    if (format === 'tar') {
      const tar = await import('tar');
      const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
      await tar.create({ gzip: true, file: tmp, cwd: tree, portable: true }, ['.']);
      await rename(tmp, target);
    } else {
      await rename(tree, target).catch(async () => {
        // Another filesystem: copy instead.
        const { cp } = await import('node:fs/promises');
        await cp(tree, target, { recursive: true });
      });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  for (const s of skipped) ctx.ui.warn(`Skipped ${s.path}: ${s.reason}.`);
  const n = manifestFiles.reduce((a, f) => a + f.redactions, 0);
  ctx.ui.info(`Redacted ${n} secret-bearing value(s) in the host-side copy.`);
  ctx.ui.out(
    `✓ Exported ${manifestFiles.length} file(s) to ${target} (manifest.json lists their SHA-256).`,
  );
  return skipped.length > 0 ? 1 : 0;
}

async function redactAndHash(
  world: Pick<World, 'files'>,
  tree: string,
  path: string,
  kind: ManifestEntry['kind'],
): Promise<ManifestEntry> {
  const rel = path.replace(/^\/+/, '');
  const local = join(tree, rel);
  let redactions: number;
  if (kind === 'sqlite') {
    const { redactSqliteCopy } = await world.files();
    redactions = await redactSqliteCopy(local, redact);
  } else {
    const r = redactText(await readFile(local, 'utf8'), redact);
    redactions = r.changed;
    if (r.changed > 0) await writeFile(local, r.text, { mode: 0o600 });
  }
  const data = await readFile(local);
  return {
    path: rel,
    source: path,
    kind,
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    redactions,
  };
}
