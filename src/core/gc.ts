/**
 * Garbage collection (product.md §4 `gc`): which images and containers nemoclaw made are no longer
 * used by any registered sandbox. Pure: the use case observes the Engine and the registry, this
 * decides, the executor removes. Everything kept says why, so a user can tell a protected object
 * from one gc does not know about.
 */
import { GATEWAY_ROLE_LABEL, MANAGED_BY_LABEL } from './gateway-plan.ts';
import type { Plan, PlanStep } from './plan.ts';
import { IMAGE_REPO_PREFIX } from './sandbox-image.ts';

export const TEST_SCOPE_LABEL = 'nemoclaw.test';

/**
 * The label filters that select what this nemoclaw made. The world's extra labels (a test's run id,
 * which onboarding already stamps on what it creates in tests) narrow it further, so a test's gc
 * or uninstall can never touch what a parallel test, or the developer, owns on the same Engine.
 */
export function ownedLabelFilters(extraLabels: Record<string, string> = {}): string[] {
  return [
    `${MANAGED_BY_LABEL}=nemoclaw`,
    ...Object.entries(extraLabels).map(([k, v]) => `${k}=${v}`),
  ];
}

export interface GcImage {
  id: string;
  tags: string[];
  labels: Record<string, string>;
  sizeBytes: number;
}

export interface GcContainer {
  id: string;
  name: string;
  imageId: string;
  state: string;
  labels: Record<string, string>;
}

export interface GcObservation {
  /** Registered sandboxes and the image each was created from. */
  sandboxes: { name: string; image: string; provider: string }[];
  /** Images carrying nemoclaw's label (or its tag prefix). */
  images: GcImage[];
  /** Containers carrying nemoclaw's label. */
  containers: GcContainer[];
  /** Every container on the Engine, whatever made it: an image they use is never removed. */
  allContainers: { name: string; imageId: string }[];
  gatewayContainer: string;
}

export type GcStep =
  | (PlanStep<'docker.container.remove'> & { id: string })
  | (PlanStep<'docker.image.remove'> & { id: string; refs: string[]; sizeBytes: number });

export interface GcKept {
  kind: 'image' | 'container';
  target: string;
  reason: string;
}

export interface GcPlan extends Plan<GcStep> {
  kept: GcKept[];
}

const LOCAL_PROVIDER_KIND: Record<string, string> = {
  ollama: 'ollama',
  vllm: 'vllm',
  'nim-local': 'nim',
};

export function isNemoclawImage(i: { tags: string[]; labels: Record<string, string> }): boolean {
  return (
    i.labels[MANAGED_BY_LABEL] === 'nemoclaw' || i.tags.some((t) => t.startsWith(IMAGE_REPO_PREFIX))
  );
}

/**
 * A container nemoclaw itself created (the gateway, local inference). A sandbox container made by
 * OpenShell from a nemoclaw image inherits the image's labels, managed-by included: it is
 * OpenShell's, and only `openshell sandbox delete` may take it away.
 */
export function isNemoclawContainer(c: { labels: Record<string, string> }): boolean {
  return (
    c.labels[MANAGED_BY_LABEL] === 'nemoclaw' &&
    c.labels[GATEWAY_ROLE_LABEL] !== 'sandbox-image' &&
    c.labels['openshell.ai/managed-by'] === undefined &&
    c.labels['openshell.ai/sandbox-name'] === undefined
  );
}

const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

export function planGc(obs: GcObservation): GcPlan {
  const steps: GcStep[] = [];
  const kept: GcKept[] = [];
  const localKinds = new Set(
    obs.sandboxes.map((s) => LOCAL_PROVIDER_KIND[s.provider]).filter((k) => k !== undefined),
  );
  const removedContainers = new Set<string>();

  for (const c of [...obs.containers].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!isNemoclawContainer(c)) continue;
    const role = c.labels[GATEWAY_ROLE_LABEL] ?? '';
    if (c.name === obs.gatewayContainer || role === 'openshell-gateway') {
      kept.push({ kind: 'container', target: c.name, reason: 'the OpenShell gateway' });
      continue;
    }
    const kind = /^inference-(.+)$/.exec(role)?.[1];
    if (kind && localKinds.has(kind)) {
      kept.push({
        kind: 'container',
        target: c.name,
        reason: `serves local inference (${kind}) for a registered sandbox`,
      });
      continue;
    }
    removedContainers.add(c.name);
    steps.push({
      kind: 'docker.container.remove',
      target: c.name,
      id: c.id,
      cause: kind
        ? `local inference (${kind}) that no registered sandbox uses`
        : `made by nemoclaw (${role || 'no role'}) and used by no registered sandbox`,
    });
  }

  const registeredRefs = new Map<string, string>();
  for (const s of obs.sandboxes) registeredRefs.set(s.image, s.name);
  for (const i of [...obs.images].sort((a, b) =>
    (a.tags[0] ?? a.id).localeCompare(b.tags[0] ?? b.id),
  )) {
    if (!isNemoclawImage(i)) continue;
    const name = i.tags[0] ?? shortId(i.id);
    const owner = [...i.tags, i.id].map((r) => registeredRefs.get(r)).find((n) => n);
    if (owner) {
      kept.push({ kind: 'image', target: name, reason: `used by the sandbox ${owner}` });
      continue;
    }
    const user = obs.allContainers.find(
      (c) => c.imageId === i.id && !removedContainers.has(c.name),
    );
    if (user) {
      kept.push({ kind: 'image', target: name, reason: `a container uses it (${user.name})` });
      continue;
    }
    steps.push({
      kind: 'docker.image.remove',
      target: name,
      id: i.id,
      // Tags one by one: removing an image by id fails while it has more than one tag.
      refs: i.tags.length > 0 ? i.tags : [i.id],
      sizeBytes: i.sizeBytes,
      cause: 'built by nemoclaw; no registered sandbox uses it',
    });
  }
  return { title: 'gc', steps, kept };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}
