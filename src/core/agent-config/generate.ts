/**
 * The agent's configuration, generated on the host from the onboarding answers and the agent's
 * manifest (product.md §14). The result is a few files for the image's build context: the config
 * file and a POSIX shell script that installs it (root-owned, read-only to the agent's user), makes
 * the writable state folders apart from it, and puts a fresh dashboard token into the installed
 * copy. The token is made inside the build, so it never exists on the host; the build context
 * carries a per-onboarding instance id so no other sandbox's cached layer can hold the same token.
 * Pure.
 */
import { createHash } from 'node:crypto';
import { stringify as yamlStringify } from 'yaml';
import type { AgentManifest } from './manifest.ts';

/** Where the install script substitutes the dashboard token. Never a real value. */
export const AUTH_TOKEN_MARKER = '__NEMOCLAW_AUTH_TOKEN__';
/** The API key the agent sends to inference.local; OpenShell strips it and adds the real one. */
export const DUMMY_API_KEY = 'openshell-managed';
/** The copy of the config as the image built it (installScript), for status's drift check. */
export const BUILT_SUFFIX = '.built';
/** Folder of the generated files inside the build context (the Dockerfile copies it). */
export const AGENT_CONTEXT_DIR = 'agent';

/** OpenShell's placeholder for a credential of an attached provider (openshell-contract.md §11). */
export function providerPlaceholder(envName: string): string {
  return `openshell:resolve:env:${envName}`;
}

export interface AgentConfigAnswers {
  sandbox: string;
  /** The model the route serves (the agent asks for it by this id). */
  model: string;
  /** The request shape of the chosen provider. */
  api: 'openai' | 'anthropic';
  /** The port the agent's dashboard listens on inside the sandbox (the forward's target). */
  dashboardPort: number;
  /** The host port of the forward; the browser's origin. */
  hostPort: number;
  /** Attached channels and the environment names their tokens arrive under (as placeholders). */
  channels: { name: string; credentialEnv: string[] }[];
  /** Non-secret id of this onboarding (keeps the build's token layer private to it). */
  instance: string;
}

export interface GeneratedFile {
  /** Relative to the build context. */
  path: string;
  content: string;
  mode: number;
}

export interface AgentConfigBundle {
  /** The config as an object, with the token still the marker (for tests and --dry-run). */
  config: Record<string, unknown>;
  files: GeneratedFile[];
  /** Environment the agent's processes need (set when the sandbox is created). */
  env: Record<string, string>;
  /** Digest of the generated files: part of the image's build key. */
  digest: string;
}

/** Channels the manifest cannot configure (the caller refuses or warns). */
export function unsupportedChannels(m: AgentManifest, channels: { name: string }[]): string[] {
  return channels.map((c) => c.name).filter((n) => !m.config.channels[n]);
}

export function allowedOrigins(hostPort: number): string[] {
  return [`http://127.0.0.1:${hostPort}`, `http://localhost:${hostPort}`];
}

export function generateAgentConfig(m: AgentManifest, a: AgentConfigAnswers): AgentConfigBundle {
  const c = m.config;
  const vars: Record<string, unknown> = {
    sandbox: a.sandbox,
    model: a.model,
    base_url: c.base_url[a.api],
    api: c.api[a.api],
    api_key: DUMMY_API_KEY,
    dashboard_port: a.dashboardPort,
    allowed_origins: allowedOrigins(a.hostPort),
    auth_token: AUTH_TOKEN_MARKER,
    state_dir: c.state_dir,
    config_dir: m.config_dir,
  };
  const config = fill(c.template, vars) as Record<string, unknown>;
  for (const ch of a.channels) {
    const t = c.channels[ch.name];
    if (!t) continue;
    setAt(config, t.at, fill(t.value, vars));
  }
  const text = c.format === 'json' ? `${JSON.stringify(config, null, 2)}\n` : yamlStringify(config);
  const files: GeneratedFile[] = [
    { path: `${AGENT_CONTEXT_DIR}/config`, content: text, mode: 0o644 },
    { path: `${AGENT_CONTEXT_DIR}/install.sh`, content: installScript(m, a.instance), mode: 0o755 },
  ];
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.path}\0${f.mode}\0${f.content}\0`);
  return { config, files, env: { ...c.env }, digest: `sha256:${h.digest('hex')}` };
}

const WHOLE = /^\{\{([a-z_]+)(?::([A-Z][A-Z0-9_]*))?\}\}$/;
const INLINE = /\{\{([a-z_]+)\}\}/g;

/** Replaces `{{name}}` leaves (typed: numbers and lists stay what they are) and inline `{{name}}`s. */
function fill(node: unknown, vars: Record<string, unknown>): unknown {
  if (typeof node === 'string') {
    const w = WHOLE.exec(node);
    if (w) {
      if (w[1] === 'placeholder') {
        if (!w[2]) throw new Error(`template: {{placeholder}} needs an env name`);
        return providerPlaceholder(w[2]);
      }
      if (!(w[1]! in vars)) throw new Error(`template: unknown variable {{${w[1]}}}`);
      return vars[w[1]!];
    }
    return node.replace(INLINE, (_, k: string) => {
      if (!(k in vars)) throw new Error(`template: unknown variable {{${k}}}`);
      return String(vars[k]);
    });
  }
  if (Array.isArray(node)) return node.map((n) => fill(n, vars));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v, vars)]));
  }
  return node;
}

function setAt(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    if (!next || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys.at(-1)!] = value;
}

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The build step: only a POSIX shell and coreutils-level tools (tr, head, sed, chown, chmod, ln),
 * which every agent base image has.
 */
export function installScript(m: AgentManifest, instance: string): string {
  const c = m.config;
  const state = c.state_dir;
  const lines = [
    '#!/bin/sh',
    `# Installs ${m.display_name}'s configuration. Generated by nemoclaw; instance ${instance.replace(/[^A-Za-z0-9-]/g, '')}.`,
    'set -eu',
    'here=$(dirname "$0")',
    `mkdir -p ${q(m.config_dir)} ${q(state)}`,
    ...c.state_dirs.map((d) => `mkdir -p ${q(`${state}/${d}`)}`),
    ...c.links.map(
      (l) =>
        `mkdir -p ${q(`${state}/${l}`)} && rm -rf ${q(`${m.config_dir}/${l}`)} && ln -s ${q(`${state}/${l}`)} ${q(`${m.config_dir}/${l}`)}`,
    ),
    // A fresh dashboard token per build: made here, never on the host.
    "token=$(LC_ALL=C tr -dc 'a-f0-9' < /dev/urandom | head -c 64)",
    '[ ${#token} -eq 64 ] || { echo "nemoclaw: could not make a dashboard token" >&2; exit 1; }',
    `sed "s/${AUTH_TOKEN_MARKER}/$token/g" "$here/config" > ${q(m.config_file)}`,
    `chown -R ${c.user}:${c.user} ${q(state)}`,
    `chmod 0755 ${q(state)}`,
    `chown ${c.owner}:${c.group} ${q(m.config_dir)} ${q(m.config_file)}`,
    `chmod 0750 ${q(m.config_dir)}`,
    `chmod ${c.mode} ${q(m.config_file)}`,
    // The config as built, beside it and as protected: status compares the two to notice an edit
    // made inside the sandbox, which the next rebuild would undo (issue 20).
    `cp ${q(m.config_file)} ${q(`${m.config_file}${BUILT_SUFFIX}`)}`,
    `chown ${c.owner}:${c.group} ${q(`${m.config_file}${BUILT_SUFFIX}`)}`,
    `chmod ${c.mode} ${q(`${m.config_file}${BUILT_SUFFIX}`)}`,
    '',
  ];
  return lines.join('\n');
}
