/** `provider create|update|get|list|delete` and `inference set|get|delete` (cli/run.rs). */
import { createHash, randomUUID } from 'node:crypto';
import type { Parsed } from '../args.ts';
import { SimError, formatEpochMs, grpcError, json, out, pad } from '../io.ts';
import type { ProviderRec } from '../state.ts';
import { readState, server, stateDir, update, workspaceName } from '../state.ts';
import { deleteCredentials, storeCredentials } from '../dataplane/secrets.ts';
import { requireReachable, resolveGateway } from './gateway.ts';

/** Provider types v0.0.111 knows, with the env key `--from-existing` reads. */
const TYPES: Record<string, string | null> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  nvidia: 'NVIDIA_API_KEY',
  deepinfra: 'DEEPINFRA_API_KEY',
  'google-vertex-ai': 'GOOGLE_VERTEX_AI_TOKEN',
  'aws-bedrock': null,
  'claude-code': 'ANTHROPIC_API_KEY',
  codex: 'OPENAI_API_KEY',
  copilot: 'GITHUB_TOKEN',
  opencode: 'OPENCODE_API_KEY',
  github: 'GITHUB_TOKEN',
  gitlab: 'GITLAB_TOKEN',
  'google-cloud': 'GCP_ADC_ACCESS_TOKEN',
  outlook: 'OUTLOOK_TOKEN',
  generic: null,
};
const ALIASES: Record<string, string> = {
  vertex: 'google-vertex-ai',
  'vertex-ai': 'google-vertex-ai',
};
const INFERENCE_TYPES = [
  'openai',
  'anthropic',
  'nvidia',
  'deepinfra',
  'google-vertex-ai',
  'aws-bedrock',
];

const fingerprint = (v: string) => createHash('sha256').update(v).digest('hex').slice(0, 16);

/** `--credential KEY=VALUE` or a bare `KEY` read from this process's environment. */
function credentials(list: string[]): Record<string, string> {
  const outMap: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq === 0) throw new SimError(`invalid credential '${item}': empty key`);
    if (eq > 0) outMap[item.slice(0, eq)] = item.slice(eq + 1);
    else {
      const v = process.env[item];
      if (!v) {
        throw new SimError(
          `--credential ${item} requires local env var '${item}' to be set to a non-empty value`,
        );
      }
      outMap[item] = v;
    }
  }
  return outMap;
}

function pairs(list: string[], flag: string): Record<string, string> {
  const outMap: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new SimError(`${flag} expects KEY=VALUE, got '${item}'`);
    outMap[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return outMap;
}

async function ctxOf(p: Parsed) {
  const ctx = resolveGateway(p, readState());
  await requireReachable(ctx);
  return ctx;
}

export async function create(p: Parsed): Promise<void> {
  const ctx = await ctxOf(p);
  const name = p.flags.name as string;
  const requested = p.flags.type as string;
  const type = ALIASES[requested] ?? requested;
  if (!(type in TYPES)) throw new SimError(`unsupported provider type or profile: ${requested}`);
  let creds: Record<string, string> = {};
  if (p.flags.credential) creds = credentials(p.flags.credential as string[]);
  else if (p.flags.from_existing) {
    const key = TYPES[type];
    const v = key ? process.env[key] : undefined;
    if (!key || !v) {
      throw new SimError(
        `no credentials resolved for provider type '${type}'. Use --credential KEY[=VALUE], --runtime-credentials for runtime-resolved profile credentials, or --from-existing with the appropriate env vars set.`,
      );
    }
    creds = { [key]: v };
  } else if (p.flags.from_gcloud_adc) {
    throw new SimError('gcloud Application Default Credentials are not simulated');
  }
  const config = pairs((p.flags.config as string[] | undefined) ?? [], '--config');
  update((s) => {
    const srv = server(s, ctx.endpoint);
    if (srv.providers[name]) {
      throw grpcError('AlreadyExists', `provider '${name}' already exists`);
    }
    srv.providers[name] = {
      id: randomUUID(),
      name,
      type,
      credential_keys: Object.keys(creds).sort(),
      credential_fingerprints: Object.fromEntries(
        Object.entries(creds).map(([k, v]) => [k, fingerprint(v)]),
      ),
      config,
      created_at_ms: Date.now(),
      resource_version: 1,
    };
    // Values stay host side, apart from state.json, for the data plane to inject.
    storeCredentials(stateDir(), ctx.endpoint, workspaceName(), name, creds, true);
  });
  out(`✓ Created provider ${name}`);
}

export async function updateProvider(p: Parsed): Promise<void> {
  const ctx = await ctxOf(p);
  const name = p.positionals.name as string;
  const creds = credentials((p.flags.credential as string[] | undefined) ?? []);
  const config = pairs((p.flags.config as string[] | undefined) ?? [], '--config');
  update((s) => {
    const rec = server(s, ctx.endpoint).providers[name];
    if (!rec) throw grpcError('NotFound', `provider '${name}' not found`);
    if (p.flags.from_existing) {
      const key = TYPES[rec.type];
      const v = key ? process.env[key] : undefined;
      if (!key || !v) {
        throw new SimError(
          `no existing local credentials/config found for provider type '${rec.type}'`,
        );
      }
      creds[key] = v;
    }
    for (const [k, v] of Object.entries(creds)) rec.credential_fingerprints[k] = fingerprint(v);
    rec.credential_keys = Object.keys(rec.credential_fingerprints).sort();
    Object.assign(rec.config, config);
    rec.resource_version++;
    storeCredentials(stateDir(), ctx.endpoint, workspaceName(), name, creds, false);
  });
  out(`✓ Updated provider ${name}`);
}

function providerJson(r: ProviderRec, workspace: string) {
  const obj: Record<string, unknown> = {
    id: r.id,
    name: r.name,
    workspace,
    type: r.type,
    credential_keys: r.credential_keys,
  };
  if (Object.keys(r.config).length > 0) obj.config_keys = Object.keys(r.config);
  obj.resource_version = r.resource_version;
  obj.created_at = formatEpochMs(r.created_at_ms);
  return obj;
}

export async function get(p: Parsed): Promise<void> {
  const ctx = await ctxOf(p);
  const name = p.positionals.name as string;
  const r = server(readState(), ctx.endpoint).providers[name];
  if (!r) throw grpcError('NotFound', `provider '${name}' not found`);
  const keys = (l: string[]) => (l.length === 0 ? '<none>' : l.join(', '));
  out(`Provider:\n\n  Id: ${r.id}\n  Name: ${r.name}\n  Type: ${r.type}`);
  out(`  Resource version: ${r.resource_version}`);
  out(
    `  Credential keys: ${keys(r.credential_keys)}\n  Config keys: ${keys(Object.keys(r.config))}`,
  );
}

export async function list(p: Parsed): Promise<void> {
  const ctx = await ctxOf(p);
  const offset = Number(p.flags.offset);
  const all = Object.values(server(readState(), ctx.endpoint).providers).sort(
    (a, b) => a.created_at_ms - b.created_at_ms,
  );
  const providers = all.slice(offset, offset + Number(p.flags.limit));
  if (p.flags.output !== 'table' && !p.flags.names) {
    json(providers.map((r) => providerJson(r, p.global.workspace)));
    return;
  }
  if (providers.length === 0) {
    if (!p.flags.names) out('No providers found.');
    return;
  }
  if (p.flags.names) {
    for (const r of providers) out(r.name);
    return;
  }
  const nw = Math.max(4, ...providers.map((r) => r.name.length));
  const tw = Math.max(4, ...providers.map((r) => r.type.length));
  out(`${pad('NAME', nw)}  ${pad('TYPE', tw)}  ${pad('CREDENTIAL_KEYS', 16)}  CONFIG_KEYS`);
  for (const r of providers) {
    const counts = `${pad(String(r.credential_keys.length), 16)}  ${Object.keys(r.config).length}`;
    out(`${pad(r.name, nw)}  ${pad(r.type, tw)}  ${counts}`);
  }
}

export async function remove(p: Parsed): Promise<void> {
  const ctx = await ctxOf(p);
  for (const name of p.positionals.names as string[]) {
    const existed = update((s) => {
      const srv = server(s, ctx.endpoint);
      const had = Boolean(srv.providers[name]);
      delete srv.providers[name];
      deleteCredentials(stateDir(), ctx.endpoint, workspaceName(), name);
      return had;
    });
    out(existed ? `✓ Deleted provider ${name}` : `! Provider ${name} not found`);
  }
}

const routeName = (p: Parsed) => (p.flags.system ? 'sandbox-system' : 'inference.local');

function timeoutLine(secs: number): string {
  return secs === 0 ? '  Timeout: 60s (default)' : `  Timeout: ${secs}s`;
}

export async function inferenceSet(p: Parsed): Promise<void> {
  const ctx = await ctxOf(p);
  const route = routeName(p);
  const providerName = p.flags.provider as string;
  const timeout = Number(p.flags.timeout);
  const version = update((s) => {
    const srv = server(s, ctx.endpoint);
    const prov = srv.providers[providerName];
    if (!prov) throw new SimError(`provider '${providerName}' not found`);
    if (!INFERENCE_TYPES.includes(prov.type)) {
      throw new SimError(
        `provider '${providerName}' has type '${prov.type}', which cannot serve inference`,
      );
    }
    const prev = srv.routes[route];
    const next = { provider: providerName, model: p.flags.model as string, timeout_secs: timeout };
    const v = (prev?.version ?? 0) + 1;
    srv.routes[route] = { ...next, version: v };
    return v;
  });
  out(p.flags.system ? 'System inference configured:' : 'Inference configured:');
  out(`\n  Workspace: ${p.global.workspace}\n  Route: ${route}\n  Provider: ${providerName}`);
  out(`  Model: ${p.flags.model as string}\n  Version: ${version}\n${timeoutLine(timeout)}`);
}

export async function inferenceGet(p: Parsed): Promise<void> {
  const ctx = await ctxOf(p);
  const routes = server(readState(), ctx.endpoint).routes;
  const block = (label: string, route: string) => {
    const r = routes[route];
    out(`${label}:\n\n`);
    if (!r) {
      out('  Not configured');
      return;
    }
    out(`  Workspace: ${p.global.workspace}\n  Provider: ${r.provider}\n  Model: ${r.model}`);
    out(`  Version: ${r.version}\n${timeoutLine(r.timeout_secs)}`);
  };
  if (p.flags.system) {
    block('System inference', 'sandbox-system');
    return;
  }
  block('Inference', 'inference.local');
  out('');
  block('System inference', 'sandbox-system');
}

export async function inferenceDelete(p: Parsed): Promise<void> {
  const ctx = await ctxOf(p);
  const route = routeName(p);
  const existed = update((s) => {
    const srv = server(s, ctx.endpoint);
    const had = Boolean(srv.routes[route]);
    delete srv.routes[route];
    return had;
  });
  const label = p.flags.system ? 'System inference route' : 'Inference route';
  out(existed ? `${label} deleted.` : `${label} not found (already deleted).`);
}
