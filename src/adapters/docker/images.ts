/**
 * Images: look up, pull, build from a tar context, and copy one file out of an image through the
 * Engine's archive API (no `docker cp`, no shell).
 */
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, basename } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { BuildTracker, type BuildEvent } from '../../core/build-stream.ts';
import { NemoclawError, errorMessage } from '../../core/errors.ts';
import { engineCall, toEngineError, type DockerEngine } from './engine.ts';

export interface ImageSummary {
  id: string;
  tags: string[];
  labels: Record<string, string>;
  env: string[];
  entrypoint: string[];
}

/** undefined when the engine does not have the image. */
export async function inspectImage(
  e: DockerEngine,
  ref: string,
): Promise<ImageSummary | undefined> {
  try {
    const i = await e.docker.getImage(ref).inspect();
    return {
      id: i.Id,
      tags: i.RepoTags ?? [],
      labels: (i.Config?.Labels as Record<string, string> | null) ?? {},
      env: i.Config?.Env ?? [],
      entrypoint: Array.isArray(i.Config?.Entrypoint)
        ? i.Config.Entrypoint.map(String)
        : typeof i.Config?.Entrypoint === 'string' && i.Config.Entrypoint
          ? [i.Config.Entrypoint]
          : [],
    };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw toEngineError(e, err);
  }
}

/** Reads a stream of JSON lines and hands each object over. */
async function readJsonLines(
  stream: NodeJS.ReadableStream,
  onEvent: (ev: BuildEvent) => void,
): Promise<void> {
  let buf = '';
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    buf += chunk.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) onEvent(parseLine(line));
    }
  }
  if (buf.trim()) onEvent(parseLine(buf.trim()));
}

function parseLine(line: string): BuildEvent {
  try {
    return JSON.parse(line) as BuildEvent;
  } catch {
    return { stream: `${line}\n` };
  }
}

export async function pullImage(
  e: DockerEngine,
  ref: string,
  onProgress?: (line: string) => void,
): Promise<void> {
  const stream = (await engineCall(e, () => e.docker.pull(ref))) as NodeJS.ReadableStream;
  let error: string | undefined;
  await readJsonLines(stream, (ev) => {
    if (ev.error || ev.errorDetail) error = ev.errorDetail?.message ?? ev.error;
    else if (ev.status) onProgress?.(`${ev.id ? `${ev.id}: ` : ''}${ev.status}`);
  });
  if (error) throw new Error(error);
}

/**
 * The image must be present: pull it if the engine lacks it, and if that fails say which image,
 * why, and which variable overrides it.
 */
export async function ensureImage(
  e: DockerEngine,
  ref: string,
  o: { overrideEnv?: string; purpose: string; onProgress?: (line: string) => void },
): Promise<ImageSummary> {
  const have = await inspectImage(e, ref);
  if (have) return have;
  try {
    o.onProgress?.(`Pulling ${ref} …`);
    await pullImage(e, ref, o.onProgress);
  } catch (err) {
    if (err instanceof NemoclawError) throw err;
    const why = errorMessage(err).replace(/^\(HTTP code \d+\)\s*/, '');
    throw new NemoclawError(
      'not-found',
      `The ${o.purpose} image ${ref} is not on this host and cannot be pulled: ${why}`,
      {
        hint: `Check your network and registry login (docker login ghcr.io), or load the image locally${o.overrideEnv ? ` / set ${o.overrideEnv} to an image this host has` : ''}.`,
        cause: err,
        detail: { image: ref, overrideEnv: o.overrideEnv },
      },
    );
  }
  const got = await inspectImage(e, ref);
  if (!got) throw new NemoclawError('failed', `Pulled ${ref}, but the engine does not list it.`);
  return got;
}

export interface BuildOptions {
  tag: string;
  dockerfile?: string;
  buildargs: Record<string, string>;
  labels: Record<string, string>;
  /** Every line of the build log (for the log file; shown on a terminal only with --verbose). */
  onProgress?: (line: string) => void;
  /** Where the build is, for a one-line progress display: the step and the context bytes sent. */
  onStatus?: (s: BuildStatus) => void;
  /** For the failure message's next step. */
  hint: string;
}

export interface BuildStatus {
  step?: { n: number; of: number; instruction: string };
  contextBytes: number;
}

/** Builds from a tar stream of the context; a failing step becomes an error with its output. */
export async function buildImage(
  e: DockerEngine,
  context: NodeJS.ReadableStream,
  o: BuildOptions,
): Promise<{ imageId: string | undefined }> {
  const tracker = new BuildTracker();
  let contextBytes = 0;
  const { Transform } = await import('node:stream');
  // Counts the context on its way to the engine (the engine reports nothing until it has it all).
  const counted = context.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, cb) {
        contextBytes += chunk.length;
        o.onStatus?.({ step: tracker.step, contextBytes });
        cb(null, chunk);
      },
    }),
  );
  const stream = (await engineCall(e, () =>
    e.docker.buildImage(
      counted as never,
      {
        t: o.tag,
        dockerfile: o.dockerfile ?? 'Dockerfile',
        buildargs: o.buildargs,
        labels: o.labels,
        rm: true,
        forcerm: true,
        // The legacy builder streams plain `Step n/m` lines, which we can show and explain.
        version: '1',
      } as Dockerode.ImageBuildOptions,
    ),
  )) as NodeJS.ReadableStream;
  await readJsonLines(stream, (ev) => {
    const before = tracker.step;
    for (const line of tracker.feed(ev)) o.onProgress?.(line);
    if (tracker.step !== before) o.onStatus?.({ step: tracker.step, contextBytes });
  });
  if (tracker.error) throw tracker.failure(o.tag, o.hint);
  return { imageId: tracker.imageId };
}

/**
 * Copies one file out of an image into `dest` (mode 0755), through a created-but-never-started
 * container and the archive API. Written to a temp name and renamed, so a reader never sees half.
 */
export async function copyFileFromImage(
  e: DockerEngine,
  image: string,
  pathInImage: string,
  dest: string,
  labels: Record<string, string> = {},
): Promise<void> {
  const tar = await import('tar');
  const c = await engineCall(e, () =>
    e.docker.createContainer({
      Image: image,
      // Never started; a command is required by some images that have none.
      Cmd: ['/openshell-sandbox-copy-placeholder'],
      Labels: labels,
      HostConfig: { NetworkMode: 'none' },
    }),
  );
  await mkdir(dirname(dest), { recursive: true, mode: 0o700 });
  const tmp = `${dest}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    let archive: NodeJS.ReadableStream;
    try {
      archive = (await c.getArchive({ path: pathInImage })) as NodeJS.ReadableStream;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) {
        throw new NemoclawError('not-found', `${image} has no file ${pathInImage}.`, {
          hint: "The supervisor image does not match the blueprint: check NEMOCLAW_SUPERVISOR_IMAGE and the blueprint's openshell.supervisor_binary_path.",
          cause: err,
        });
      }
      throw toEngineError(e, err);
    }
    let written: Promise<void> | undefined;
    const want = basename(pathInImage);
    const parser = new tar.Parser({
      onReadEntry: (entry) => {
        if (!written && entry.type === 'File' && basename(entry.path) === want) {
          const ws = createWriteStream(tmp, { mode: 0o755 });
          written = finished(ws);
          entry.pipe(ws);
        } else entry.resume();
      },
    });
    await pipeline(archive, parser);
    if (!written) {
      throw new NemoclawError('not-found', `${pathInImage} in ${image} is not a regular file.`, {
        hint: "Check NEMOCLAW_SUPERVISOR_IMAGE and the blueprint's supervisor_binary_path.",
      });
    }
    // The entry's write stream may still be flushing after the parser ends.
    await written;
    await chmod(tmp, 0o755);
    await rename(tmp, dest);
  } finally {
    await rm(tmp, { force: true });
    await c.remove({ force: true }).catch(() => {});
  }
}
