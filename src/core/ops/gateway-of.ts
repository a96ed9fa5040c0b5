/** Which gateway a registered sandbox lives on, and whether this host runs it (local mode). */
import type { SandboxEntry } from '../registry/schema.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** A remote gateway is registered, not run here: no container to restart, no container facts. */
export function isRemoteEntry(e: Pick<SandboxEntry, 'gatewayUrl'>): boolean {
  if (!e.gatewayUrl) return false;
  try {
    return !LOOPBACK.has(new URL(e.gatewayUrl).hostname);
  } catch {
    return false;
  }
}

/** The host port of a local gateway: from the recorded URL, else NEMOCLAW_GATEWAY_PORT, else 8080. */
export function localGatewayPort(
  e: Pick<SandboxEntry, 'gatewayUrl'>,
  env: Record<string, string | undefined>,
): number {
  if (e.gatewayUrl) {
    try {
      const p = Number(new URL(e.gatewayUrl).port);
      if (Number.isInteger(p) && p > 0) return p;
    } catch {
      // fall through
    }
  }
  const fromEnv = Number(env.NEMOCLAW_GATEWAY_PORT);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 8080;
}
