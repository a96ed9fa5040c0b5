/**
 * Sandbox images on a remote gateway. The v0.0.111 CLI refuses to build `--from <Dockerfile>` for a
 * gateway whose metadata says remote (`crates/openshell-cli/src/run.rs`, `build_from_dockerfile`,
 * `dockerfile_sources_supported_for_gateway`); a plaintext gateway added without `--local` is
 * remote unless its endpoint is loopback (`crates/openshell-cli/src/commands/gateway.rs`,
 * `plaintext_gateway_is_remote`). An image reference reaches the remote compute, which pulls it:
 * here the Engine pulls it from its registry every time, so a tag that exists only in this host's
 * Docker (no registry host in the reference) fails the way an image pull on the cluster would.
 */
import { dockerClient as engine } from './docker.ts';
import { SimError } from './io.ts';

export function isLoopbackEndpoint(endpoint: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

export function refuseLocalBuild(gateway: string): never {
  throw new SimError(
    `local Dockerfile sources are only supported for local gateways; gateway '${gateway}' is remote`,
  );
}

/** Whether the first path component of a reference names a registry host. */
function hasRegistryHost(ref: string): boolean {
  const first = ref.split('/')[0]!;
  return ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
}

export async function pullForRemote(ref: string): Promise<void> {
  if (!hasRegistryHost(ref)) {
    throw new SimError(
      `failed to pull image "${ref}": the remote gateway's compute cannot reach an image that only a local Docker has`,
    );
  }
  const d = await engine();
  try {
    const stream = (await d.pull(ref, {
      authconfig: { serveraddress: ref.split('/')[0] },
    } as never)) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) =>
      d.modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve())),
    );
  } catch (e) {
    throw new SimError(`failed to pull image "${ref}": ${(e as Error).message}`);
  }
}
