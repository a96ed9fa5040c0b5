/**
 * Where a rebuilt image must be pushed. A sandbox on a remote gateway runs an image pulled from the
 * registry named at onboarding (`--image-registry`; OpenShell v0.0.111 builds Dockerfiles only for
 * local gateways: crates/openshell-cli/src/run.rs `build_from_dockerfile`), recorded as the pinned
 * `<registry>/<repo>@sha256:<digest>` it was created from; a rebuild pushes its new image there.
 * Pure.
 */
import { isRemoteEntry } from '../ops/gateway-of.ts';
import { IMAGE_REPO_PREFIX } from '../sandbox-image.ts';
import type { SandboxEntry } from '../registry/schema.ts';

const PINNED = new RegExp(`^(.+)/${IMAGE_REPO_PREFIX}[a-z0-9-]+@sha256:[0-9a-f]{64}$`);

/** The registry a rebuild of this sandbox pushes to, or undefined (a local gateway). */
export function rebuildPushRegistry(
  entry: Pick<SandboxEntry, 'gatewayUrl' | 'image'>,
): string | undefined {
  if (!isRemoteEntry(entry)) return undefined;
  return PINNED.exec(entry.image)?.[1];
}
