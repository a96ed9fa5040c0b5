/**
 * What nemoclaw and OpenShell left on the Engine: images, containers and volumes found by label or
 * tag, and their removal. Used by gc, uninstall, doctor and debug. Removal never forces an image
 * that a container still uses: the Engine's refusal is reported, not overridden.
 */
import type Dockerode from 'dockerode';
import { engineCall, toEngineError, type DockerEngine } from './engine.ts';

export interface ImageInfo {
  id: string;
  tags: string[];
  labels: Record<string, string>;
  sizeBytes: number;
  created: number;
}

export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  imageId: string;
  state: string;
  labels: Record<string, string>;
}

export interface VolumeInfo {
  name: string;
  labels: Record<string, string>;
}

const filters = (f: Record<string, string[]>) => JSON.stringify(f);

export async function listImages(
  e: DockerEngine,
  o: { labels?: string[]; reference?: string } = {},
): Promise<ImageInfo[]> {
  const f: Record<string, string[]> = {};
  if (o.labels?.length) f.label = o.labels;
  if (o.reference) f.reference = [o.reference];
  const list = await engineCall(e, () =>
    e.docker.listImages({ all: false, filters: filters(f) } as Dockerode.ListImagesOptions),
  );
  return list.map((i) => ({
    id: i.Id,
    tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
    labels: i.Labels ?? {},
    sizeBytes: i.Size ?? 0,
    created: i.Created ?? 0,
  }));
}

export async function listContainers(
  e: DockerEngine,
  o: { labels?: string[] } = {},
): Promise<ContainerInfo[]> {
  const f: Record<string, string[]> = {};
  if (o.labels?.length) f.label = o.labels;
  const list = await engineCall(e, () =>
    e.docker.listContainers({ all: true, filters: filters(f) } as Dockerode.ContainerListOptions),
  );
  return list.map((c) => ({
    id: c.Id,
    name: (c.Names[0] ?? '').replace(/^\//, ''),
    image: c.Image,
    imageId: c.ImageID,
    state: c.State,
    labels: c.Labels ?? {},
  }));
}

export async function listVolumes(
  e: DockerEngine,
  o: { labels?: string[] } = {},
): Promise<VolumeInfo[]> {
  const f: Record<string, string[]> = {};
  if (o.labels?.length) f.label = o.labels;
  const r = await engineCall(e, () => e.docker.listVolumes({ filters: filters(f) }));
  return (r.Volumes ?? []).map((v) => ({ name: v.Name, labels: v.Labels ?? {} }));
}

/** Removes one tag (or the image when it is the last one). A 404 counts as done. */
export async function removeImage(e: DockerEngine, ref: string): Promise<void> {
  try {
    await e.docker.getImage(ref).remove({ force: false });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return;
    throw toEngineError(e, err);
  }
}

/** A 404 counts as done; a volume in use (409) is the Engine's refusal, passed on. */
export async function removeVolume(e: DockerEngine, name: string): Promise<void> {
  try {
    await e.docker.getVolume(name).remove();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return;
    throw toEngineError(e, err);
  }
}

/** Inspect-level facts about one container for the debug bundle: no env (it may hold secrets). */
export async function containerSummary(
  e: DockerEngine,
  nameOrId: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const i = await e.docker.getContainer(nameOrId).inspect();
    return {
      name: i.Name.replace(/^\//, ''),
      image: i.Config.Image,
      created: i.Created,
      state: i.State,
      restartCount: i.RestartCount,
      labels: i.Config.Labels ?? {},
      restartPolicy: i.HostConfig.RestartPolicy,
      portBindings: i.HostConfig.PortBindings,
      mounts: (i.Mounts ?? []).map((m) => ({
        type: m.Type,
        source: m.Name ?? m.Source,
        destination: m.Destination,
        rw: m.RW,
      })),
    };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw toEngineError(e, err);
  }
}
