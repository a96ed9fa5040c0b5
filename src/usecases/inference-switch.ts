/**
 * `inference set --provider P --model M` and `credentials add P` (product.md §9): switch the route
 * to any provider, registering it first when the gateway lacks it. The key comes from the
 * provider's environment variable (or a hidden prompt on a terminal), is validated by one request
 * unless `--no-verify`, and reaches OpenShell only through the child's environment (the client's
 * secret-env mechanism). After a switch, the sandboxes whose agent config names the model are
 * offered the rebuild that bakes the new one in; the rebuild is its own journaled transaction.
 */
import type { OpenshellClient } from '../adapters/openshell/types.ts';
import type { Context } from '../context.ts';
import { NemoclawError, UsageError, UserError } from '../core/errors.ts';
import { judgeProbe } from '../core/onboard/probe-result.ts';
import { dialectOf } from '../core/probe-shape.ts';
import {
  findProvider,
  LOCAL_PLACEHOLDER_KEY,
  MODEL_RE,
  PROVIDERS,
  type ProviderSpec,
} from '../core/providers.ts';
import type { SandboxEntry } from '../core/registry/schema.ts';
import { DEFAULT_WORKSPACE, sharesRoute } from '../core/workspace.ts';
import { registerSecret } from '../core/redact.ts';
import type { OpsWorld } from '../world.ts';
import { requireEntry } from './registry-entry.ts';

export interface SwitchOptions {
  provider?: string;
  model?: string;
  sandbox?: string;
  endpointUrl?: string;
  /** Commander's `--no-verify` sets verify: false. */
  verify?: boolean;
  /** Rebuild the affected sandboxes without asking. */
  rebuild?: boolean;
}

/** Both agents bake the model into their config (blueprints/…/agents/*.yaml `model_config.model_key`). */
export function modelBakedIn(entry: Pick<SandboxEntry, 'agent'>): boolean {
  return entry.agent === 'openclaw' || entry.agent === 'hermes';
}

function specOf(input: string): ProviderSpec | undefined {
  return findProvider(input) ?? PROVIDERS.find((p) => p.openshellName === input);
}

/** The gateway and workspace of the named sandbox, else of the default one. */
export async function scopeFor(
  ctx: Context,
  sandbox?: string,
): Promise<{ gateway: string; workspace?: string }> {
  const reg = await ctx.registry().read();
  const e = sandbox
    ? await requireEntry(ctx, sandbox)
    : reg.defaultSandbox
      ? reg.sandboxes[reg.defaultSandbox]
      : undefined;
  return { gateway: e?.gatewayName ?? 'nemoclaw', workspace: e?.workspace };
}

/** Where a route lives, in words: its own workspace, or the gateway's shared `default`. */
function routeScope(gateway: string, workspace?: string): string {
  return workspace && workspace !== DEFAULT_WORKSPACE
    ? `workspace ${workspace} on gateway ${gateway}`
    : `gateway ${gateway} (default workspace)`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

async function keyFor(ctx: Context, deps: OpsWorld, spec: ProviderSpec, cmd: string) {
  if (!spec.userEnv) return undefined;
  const fromEnv = ctx.env[spec.userEnv]?.trim();
  if (fromEnv) return fromEnv;
  if (ctx.nonInteractive || !ctx.ui.stdinIsTTY) {
    throw new UsageError(`${spec.label} needs an API key in ${spec.userEnv}.`, {
      hint: `Set it and run again: ${spec.userEnv}=… nemoclaw ${cmd}`,
    });
  }
  const v = (await (await deps.prompter()).password(`${spec.label} API key (${spec.userEnv}):`))
    .trim()
    .replace(/\r/g, '');
  if (!v) throw new UsageError(`The API key for ${spec.label} is empty.`);
  return v;
}

/** One validation request; its refusal becomes a UserError that says what to change. */
async function verify(
  world: Pick<OpsWorld, 'http'>,
  spec: ProviderSpec,
  baseUrl: string,
  model: string,
  key?: string,
) {
  const { probeProvider } = await world.http();
  const hostBase = baseUrl.replace('//host.openshell.internal', '//127.0.0.1');
  const out = await probeProvider({
    api: spec.api,
    dialect: dialectOf(spec.key, spec.api),
    baseUrl: hostBase,
    model,
    apiKey: key,
  });
  const v = judgeProbe(out, { provider: spec.label, model, keyEnv: spec.userEnv, url: hostBase });
  if (!v.ok) {
    throw new UserError(v.reason, {
      // A refused key, model or URL is input to fix (2); an outage or timeout is operational (1).
      kind: v.next === 'retry' ? 'failed' : 'invalid',
      hint: `${v.fix ?? ''} Nothing was changed; to skip this check pass --no-verify.`.trim(),
    });
  }
  return v.warning;
}

/**
 * Makes sure the gateway has the provider: registers it when absent (validated unless told not
 * to). Returns whether it was created and whether this run validated the model already.
 */
export async function ensureProvider(
  ctx: Context,
  deps: OpsWorld,
  client: OpenshellClient,
  o: { spec: ProviderSpec; endpointUrl?: string; model?: string; verify: boolean; cmd: string },
): Promise<{ created: boolean; verified: boolean }> {
  const { spec } = o;
  const existing = await client.providerGet(spec.openshellName);
  if (existing && !o.endpointUrl) return { created: false, verified: false };
  const baseUrl = o.endpointUrl ?? spec.baseUrl;
  if (!baseUrl) {
    throw new UsageError(`${spec.label} needs an endpoint URL.`, {
      hint: `Pass it: nemoclaw ${o.cmd} --endpoint-url https://…/v1`,
    });
  }
  const key = await keyFor(ctx, deps, spec, o.cmd);
  if (key) registerSecret(key);
  let verified = false;
  if (o.verify) {
    if (!o.model) {
      throw new UsageError(`Validating ${spec.label} needs a model to ask.`, {
        hint: `Pass --model <id>, or --no-verify to register it unchecked.`,
      });
    }
    const warning = await verify(deps, spec, baseUrl, o.model, key);
    if (warning) ctx.ui.warn(warning);
    verified = true;
  }
  const credentialKey = spec.credentialKey ?? 'OPENAI_API_KEY';
  const options = {
    name: spec.openshellName,
    type: spec.openshellType,
    credentialEnv: [credentialKey],
    env: { [credentialKey]: key ?? LOCAL_PLACEHOLDER_KEY },
    config: spec.baseUrlConfigKey ? { [spec.baseUrlConfigKey]: baseUrl } : undefined,
  };
  if (existing) await client.providerUpdate(options);
  else await client.providerCreate(options);
  return { created: !existing, verified };
}

export async function credentialsAdd(
  ctx: Context,
  deps: OpsWorld,
  o: { provider: string; model?: string; endpointUrl?: string; verify?: boolean; sandbox?: string },
): Promise<number> {
  const spec = specOf(o.provider);
  if (!spec) {
    throw new UsageError(`Unknown provider "${o.provider}".`, {
      hint: `Known providers: ${PROVIDERS.map((p) => p.key).join(', ')}`,
    });
  }
  const model = o.model ?? spec.defaultModel;
  if (model && !MODEL_RE.test(model)) throw new UsageError(`"${model}" is not a valid model name.`);
  const { gateway, workspace } = await scopeFor(ctx, o.sandbox);
  const where = routeScope(gateway, workspace);
  const client = await deps.openshell(gateway, workspace);
  if ((await client.providerGet(spec.openshellName)) && !o.endpointUrl) {
    throw new UsageError(`${capital(where)} already has provider ${spec.openshellName}.`, {
      hint: `Replace its key with: nemoclaw credentials reset ${spec.key}`,
    });
  }
  await ensureProvider(ctx, deps, client, {
    spec,
    endpointUrl: o.endpointUrl,
    model,
    verify: o.verify !== false && !spec.local,
    cmd: `credentials add ${spec.key}`,
  });
  ctx.ui.out(
    `Registered provider ${spec.openshellName} (${spec.label}) in ${where}. Use it with: nemoclaw inference set${o.sandbox ? ` --sandbox ${o.sandbox}` : ''} --provider ${spec.key} --model <id>`,
  );
  return 0;
}

export async function inferenceSwitch(
  ctx: Context,
  deps: OpsWorld,
  o: SwitchOptions,
): Promise<number> {
  if (!o.provider || !o.model) {
    throw new UsageError('inference set needs both --provider and --model.', {
      hint: 'For example: nemoclaw inference set --provider build --model nvidia/nemotron-3-super-120b-a12b',
    });
  }
  const model = o.model;
  if (!MODEL_RE.test(model)) throw new UsageError(`"${model}" is not a valid model name.`);
  const { gateway, workspace } = await scopeFor(ctx, o.sandbox);
  const client = await deps.openshell(gateway, workspace);
  const spec = specOf(o.provider);
  const wantVerify = o.verify !== false;
  let name = o.provider;
  let verifiedHere = false;
  if (spec) {
    name = spec.openshellName;
    const r = await ensureProvider(ctx, deps, client, {
      spec,
      endpointUrl: o.endpointUrl,
      model,
      verify: wantVerify,
      cmd: `inference set --provider ${spec.key} --model ${model}`,
    });
    verifiedHere = r.verified;
    if (r.created) ctx.ui.out(`Registered provider ${name} on gateway ${gateway}.`);
  } else if (!(await client.providerGet(name))) {
    const known = (await client.providerList()).map((p) => p.name);
    throw new NemoclawError('not-found', `The gateway has no provider ${name}.`, {
      hint: `Configured: ${known.join(', ') || 'none'}. Known keys: ${PROVIDERS.map((p) => p.key).join(', ')}`,
    });
  }
  // A provider already registered holds its key in the gateway: OpenShell validates the route
  // itself unless told not to.
  await client.inferenceSet({ provider: name, model, noVerify: verifiedHere || !wantVerify });
  const key = spec?.key ?? name;
  const now = ctx.now().toISOString();
  const before = await ctx.registry().read();
  // Only the sandboxes in the same workspace share the route (each new sandbox has its own).
  const here = { gatewayName: gateway, workspace };
  const served = Object.values(before.sandboxes).filter((e) => sharesRoute(e, here));
  await ctx.registry().update((r) => {
    if (served.length === 0) return undefined;
    const sandboxes = { ...r.sandboxes };
    for (const e of served) {
      const cur = sandboxes[e.name];
      if (!cur) continue;
      sandboxes[e.name] = {
        ...cur,
        provider: key,
        model,
        ...(o.endpointUrl ? { endpointUrl: o.endpointUrl } : {}),
        updatedAt: now,
      };
    }
    return { ...r, sandboxes };
  });
  ctx.ui.out(`Inference route of ${routeScope(gateway, workspace)}: ${model} via ${name}.`);
  ctx.ui.out(
    served.length > 0
      ? `It serves: ${served.map((e) => e.name).join(', ')}.`
      : 'No registered sandbox uses this route yet.',
  );
  if (workspace && workspace !== DEFAULT_WORKSPACE) {
    ctx.ui.out('Sandboxes in other workspaces keep their own routes.');
  }
  await offerRebuild(ctx, deps, served, model, o.rebuild === true);
  return 0;
}

async function offerRebuild(
  ctx: Context,
  deps: OpsWorld,
  served: SandboxEntry[],
  model: string,
  always: boolean,
): Promise<void> {
  const stale = served.filter((e) => modelBakedIn(e) && e.model !== model);
  if (stale.length === 0) return;
  ctx.ui.info(
    'Requests already go to the new model; the agent config inside still names the old one until a rebuild.',
  );
  const interactive = !ctx.nonInteractive && ctx.ui.stdinIsTTY;
  for (const e of stale) {
    const yes =
      always ||
      (interactive &&
        (await deps.confirm(`Rebuild ${e.name} now so its agent config names ${model}?`)));
    if (!yes) {
      ctx.ui.out(`  Later: nemoclaw ${e.name} rebuild`);
      continue;
    }
    const { rebuild } = await import('./rebuild.ts');
    await rebuild(ctx, deps, { sandbox: e.name, yes: true });
  }
}
