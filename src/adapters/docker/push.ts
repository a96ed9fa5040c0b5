/**
 * Pushes a locally built sandbox image to a registry a remote gateway can pull from. OpenShell
 * v0.0.111 builds `--from <Dockerfile>` only for local gateways (`crates/openshell-cli/src/run.rs`,
 * `build_from_dockerfile`: "local Dockerfile sources are only supported for local gateways"), and a
 * remote cluster cannot pull a tag that exists only in this host's Engine. Credentials come from
 * the Engine's own login (docker login); nothing here reads or logs them.
 */
import { NemoclawError } from '../../core/errors.ts';
import { engineCall, type DockerEngine } from './engine.ts';

export interface PushedImage {
  /** `<registry>/<repo>:<tag>` */
  ref: string;
  /** The manifest digest the registry stored, when it said. */
  digest?: string;
  /** `<registry>/<repo>@<digest>` when known (what a sandbox should run), else `ref`. */
  pinned: string;
}

/** `nemoclaw-sandbox-openclaw:0.1.0-abc` under `registry.example.com/team` → the remote name. */
export function remoteName(localTag: string, registry: string): string {
  const base = localTag.split('/').pop()!;
  return `${registry.replace(/\/+$/, '')}/${base}`;
}

export async function pushImage(
  e: DockerEngine,
  localTag: string,
  registry: string,
  onProgress?: (line: string) => void,
): Promise<PushedImage> {
  const ref = remoteName(localTag, registry);
  const colon = ref.lastIndexOf(':');
  const repo = ref.slice(0, colon);
  const tag = ref.slice(colon + 1);
  await engineCall(e, () => e.docker.getImage(localTag).tag({ repo, tag }));
  const host = registry.split('/')[0]!;
  const stream = (await engineCall(
    e,
    () =>
      // The Engine requires an X-Registry-Auth header; an empty one makes it use its stored login.
      e.docker
        .getImage(ref)
        .push({ authconfig: { serveraddress: host } } as never) as unknown as Promise<unknown>,
  )) as NodeJS.ReadableStream;
  let error: string | undefined;
  let digest: string | undefined;
  let buf = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    buf += chunk.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line) continue;
      let ev: {
        status?: string;
        id?: string;
        error?: string;
        errorDetail?: { message?: string };
        aux?: { Digest?: string };
      };
      try {
        ev = JSON.parse(line);
      } catch {
        continue;
      }
      if (ev.error || ev.errorDetail) error = ev.errorDetail?.message ?? ev.error;
      else if (ev.aux?.Digest) digest = ev.aux.Digest;
      else if (ev.status) onProgress?.(`${ev.id ? `${ev.id}: ` : ''}${ev.status}`);
    }
  }
  if (error) {
    throw new NemoclawError('failed', `Pushing ${ref} failed: ${error}`, {
      hint: `Check that ${host} is reachable from here and that you are logged in to it (docker login ${host}).`,
      detail: { image: ref },
    });
  }
  return { ref, digest, pinned: digest ? `${repo}@${digest}` : ref };
}
