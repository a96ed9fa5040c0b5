/**
 * Sandbox name rules of the v0.0.111 gateway, checked at `CreateSandbox` before anything is
 * persisted: `crates/openshell-server/src/grpc/validation.rs` (`validate_sandbox_spec`, then
 * `validate_dns1123_label`), with `MAX_ROUTABLE_NAME_LEN = 19` and `MAX_NAME_LEN = 253` from
 * `crates/openshell-server/src/grpc/mod.rs`. Each failure is INVALID_ARGUMENT with the server's
 * own message; the first rule broken wins, in the server's order.
 */
import { grpcError } from './io.ts';

export const MAX_ROUTABLE_NAME_LEN = 19;

export function sandboxNameError(name: string): string | undefined {
  if (name.length === 0) return undefined; // the server generates one
  if (name.length > MAX_ROUTABLE_NAME_LEN) {
    return `name exceeds maximum length (${name.length} > ${MAX_ROUTABLE_NAME_LEN})`;
  }
  if (!/^[a-z0-9-]+$/.test(name)) {
    return 'name must contain only lowercase alphanumeric characters or hyphens';
  }
  if (name.startsWith('-') || name.endsWith('-')) return 'name must not start or end with a hyphen';
  if (name.includes('--')) return 'name must not contain consecutive hyphens';
  return undefined;
}

export function checkSandboxName(name: string): void {
  const problem = sandboxNameError(name);
  if (problem) throw grpcError('InvalidArgument', problem);
}
