/**
 * Provider credential values, host side only: `credentials.json` (mode 0600) in
 * `$OPENSHELL_SIM_SECRETS` — the simulated gateway's database, a folder of its own so that scans of
 * the CLI-visible state find no secret — or else in the state folder, apart from state.json (which
 * keeps fingerprints). The gateway holds them in the real system
 * (openshell-contract.md §4 "Where credentials live"); the router injects inference keys
 * (crates/openshell-router/src/backend.rs `prepare_backend_request`) and the proxy resolves
 * placeholders `openshell:resolve:env:KEY` on egress
 * (crates/openshell-core/src/provider_credentials.rs `resolve_placeholder`). Nothing here is ever
 * written into a container: sandboxes get only the placeholders.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Store = Record<string, Record<string, Record<string, string>>>;

/**
 * A provider belongs to one workspace of its gateway (v0.0.111 docs/sandboxes/manage-workspaces.mdx;
 * crates/openshell-server/src/grpc/provider.rs resolves the caller's workspace with
 * grpc/workspace.rs `resolve_workspace` before every provider read and write), so two workspaces may each hold a provider of the same name with different values.
 * The `default` workspace keeps the bare provider name (the layout before workspaces); another
 * workspace's entries are `<workspace>/<provider>` (a name neither can contain).
 */
const keyOf = (workspace: string, provider: string) =>
  workspace === 'default' ? provider : `${workspace}/${provider}`;

/** The gateway's credential store: OPENSHELL_SIM_SECRETS (a folder) or the state folder. */
const file = (stateDir: string) =>
  join(process.env.OPENSHELL_SIM_SECRETS || stateDir, 'credentials.json');

function read(stateDir: string): Store {
  const f = file(stateDir);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Store) : {};
}

function write(stateDir: string, s: Store): void {
  if (process.env.OPENSHELL_SIM_SECRETS) {
    mkdirSync(process.env.OPENSHELL_SIM_SECRETS, { recursive: true, mode: 0o700 });
  }
  const tmp = `${file(stateDir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(s), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file(stateDir));
}

/** Call under the state lock (state.ts `update`) so concurrent writers do not race. */
export function storeCredentials(
  stateDir: string,
  endpoint: string,
  workspace: string,
  provider: string,
  creds: Record<string, string>,
  replace: boolean,
): void {
  const s = read(stateDir);
  const srv = (s[endpoint] ??= {});
  const k = keyOf(workspace, provider);
  srv[k] = { ...(replace ? {} : srv[k]), ...creds };
  write(stateDir, s);
}

export function deleteCredentials(
  stateDir: string,
  endpoint: string,
  workspace: string,
  provider: string,
): void {
  const s = read(stateDir);
  const k = keyOf(workspace, provider);
  if (!s[endpoint]?.[k]) return;
  delete s[endpoint][k];
  write(stateDir, s);
}

export function credentialsOf(
  stateDir: string,
  endpoint: string,
  workspace: string,
  provider: string,
): Record<string, string> {
  return read(stateDir)[endpoint]?.[keyOf(workspace, provider)] ?? {};
}

export const PLACEHOLDER_PREFIX = 'openshell:resolve:env:';

/** The environment a sandbox gets for its attached providers' credential keys (contract §11). */
export function placeholderEnv(keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, `${PLACEHOLDER_PREFIX}${k}`]));
}

/** Replaces every known placeholder in a header value, path or query; unknown ones stay. */
export function resolvePlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/openshell:resolve:env:([A-Za-z_][A-Za-z0-9_]*)/g, (m, key: string) =>
    key in values ? values[key]! : m,
  );
}
