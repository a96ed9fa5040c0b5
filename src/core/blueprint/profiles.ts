/**
 * Blueprint profiles (issue 15): a name that picks an inference profile and resources. Every
 * inference profile the blueprint declares is a profile of the same name with the blueprint's
 * resources; `profiles:` in blueprint.yaml adds named ones that pick an inference profile and
 * override resources. Pure.
 */
import type { Blueprint } from './schema.ts';

export interface ProfileView {
  name: string;
  description?: string;
  inference: string;
  provider: string;
  model: string;
  endpoint: string;
  cpu: string;
  memory: string;
}

export function listProfiles(bp: Blueprint): ProfileView[] {
  const out = new Map<string, ProfileView>();
  const view = (
    name: string,
    inference: string,
    res?: { cpu?: string; memory?: string },
    description?: string,
  ): ProfileView | undefined => {
    const inf = bp.inference.profiles[inference];
    if (!inf) return undefined;
    return {
      name,
      description,
      inference,
      provider: inf.provider_name,
      model: inf.model,
      endpoint: inf.endpoint,
      cpu: res?.cpu ?? bp.resources.cpu,
      memory: res?.memory ?? bp.resources.memory,
    };
  };
  for (const k of Object.keys(bp.inference.profiles)) out.set(k, view(k, k)!);
  for (const [k, p] of Object.entries(bp.profiles ?? {})) {
    const v = view(k, p.inference, p.resources, p.description);
    if (v) out.set(k, v);
  }
  return [...out.values()];
}

/** Problems with a blueprint's own profiles: one naming an inference profile it lacks. */
export function profileProblems(bp: Blueprint): string[] {
  return Object.entries(bp.profiles ?? {})
    .filter(([, p]) => !bp.inference.profiles[p.inference])
    .map(([k, p]) => `profile ${k} names inference profile ${p.inference}, which is not declared`);
}

export function findProfile(bp: Blueprint, name: string): ProfileView | undefined {
  return listProfiles(bp).find((p) => p.name === name);
}

/** The limits a sandbox gets: a chosen profile's; none chosen: OpenShell's defaults. */
export function profileResources(
  bp: Blueprint,
  name: string | undefined,
): { cpu: string; memory: string } | undefined {
  if (!name) return undefined;
  const p = findProfile(bp, name);
  return p ? { cpu: p.cpu, memory: p.memory } : undefined;
}
