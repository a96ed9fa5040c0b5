/**
 * The environment of one `openshell` child (issue 12, item 4). Pure. The CLI needs to find
 * programs, its config and data folders, the locale, the terminal, its own OPENSHELL_* settings,
 * proxies and CA bundles; nothing else of the operator's environment reaches it. A credential
 * reaches only the call that names it (`provider create|update --credential NAME`): the caller
 * passes it in `extra`, whose names are the only secret-looking names the child ever sees.
 */

/** Exact names passed through when set. */
const PASS = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TERM',
  'COLORTERM',
  'TMPDIR',
  'TZ',
  'LANG',
  'LANGUAGE',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_STATE_HOME',
  'XDG_CACHE_HOME',
  'XDG_RUNTIME_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'ALL_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'all_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'RUST_LOG',
  // Which Engine, when the CLI talks to one.
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_CONFIG',
  'DOCKER_CERT_PATH',
  'DOCKER_TLS_VERIFY',
  // The forward and connect paths start `ssh`, which finds its agent here.
  'SSH_AUTH_SOCK',
]);

/** Prefixes passed through: the locale, and OpenShell's own settings (OPENSHELL_GATEWAY, …). */
const PASS_PREFIX = ['LC_', 'OPENSHELL_'];

export function isPassedToOpenshell(name: string): boolean {
  return PASS.has(name) || PASS_PREFIX.some((p) => name.startsWith(p));
}

/** The child's whole environment: the allowed part of `base`, then `extra` (credentials by name). */
export function openshellChildEnv(
  base: Record<string, string | undefined>,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v !== undefined && isPassedToOpenshell(k)) env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) env[k] = v;
  env.NO_COLOR = '1';
  return env;
}
