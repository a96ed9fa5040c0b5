/**
 * `use <name>`, `inference get|set`, `credentials list|reset`: gateway-wide settings. One inference
 * route serves every sandbox on a gateway (openshell-contract.md §4), so changing it says which
 * other sandboxes it affects (user-pain-points 13). Credentials are shown by key name only.
 */
import type { Context } from '../context.ts';
import { NemoclawError, UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/names.ts';
import { PROVIDERS, findProvider } from '../core/providers.ts';
import { registerSecret } from '../core/redact.ts';
import { notRegisteredError } from '../core/registry/not-registered.ts';
import { sharesRoute, workspaceOf } from '../core/workspace.ts';
import type { SwitchOptions } from './inference-switch.ts';
import type { OpsWorld } from '../world.ts';

export async function useSandbox(ctx: Context, o: { name: string }): Promise<number> {
  const reg = await ctx.registry().read();
  if (!reg.sandboxes[o.name]) {
    throw notRegisteredError(o.name, Object.keys(reg.sandboxes), (n) => `\`nemoclaw use ${n}\``);
  }
  await ctx
    .registry()
    .update((r) => (r.defaultSandbox === o.name ? undefined : { ...r, defaultSandbox: o.name }));
  ctx.ui.out(`The default sandbox is now ${o.name}.`);
  return 0;
}

/** The gateway the command acts on: the sandbox's, else the default sandbox's, else nemoclaw. */

/** Registry provider key (build) ↔ OpenShell provider name (nvidia-prod). */
function openshellProviderName(p: string): string {
  return findProvider(p)?.openshellName ?? p;
}

export async function inferenceGet(
  ctx: Context,
  deps: OpsWorld,
  o: { sandbox?: string; json?: boolean },
): Promise<number> {
  const { scopeFor } = await import('./inference-switch.ts');
  const { gateway, workspace } = await scopeFor(ctx, o.sandbox);
  const cfg = await (await deps.openshell(gateway, workspace)).inferenceGet();
  const reg = await ctx.registry().read();
  const here = { gatewayName: gateway, workspace };
  const onGateway = Object.values(reg.sandboxes).filter((e) => sharesRoute(e, here));
  const served = (e: (typeof onGateway)[number]) =>
    cfg.route !== undefined &&
    openshellProviderName(e.provider) === cfg.route.provider &&
    e.model === cfg.route.model;
  if (o.json) {
    ctx.ui.json({
      schemaVersion: 1,
      gateway,
      workspace: workspaceOf(here),
      route: cfg.route ?? null,
      system: cfg.system ?? null,
      sandboxes: onGateway.map((e) => ({
        name: e.name,
        provider: e.provider,
        model: e.model,
        matchesRoute: served(e),
      })),
    });
    return 0;
  }
  const ws = workspaceOf(here);
  const where = ws === 'default' ? `Gateway ${gateway}` : `Workspace ${ws} on gateway ${gateway}`;
  if (!cfg.route) ctx.ui.out(`${where}: no inference route configured.`);
  else {
    ctx.ui.out(
      `${where} inference route (serves ${onGateway.map((e) => e.name).join(', ') || 'no registered sandbox'}):`,
    );
    ctx.ui.out(`  Provider: ${cfg.route.provider}`);
    ctx.ui.out(`  Model:    ${cfg.route.model}`);
  }
  const stale = onGateway.filter((e) => !served(e));
  if (stale.length > 0) {
    ctx.ui.warn(
      `Set up for another route: ${stale.map((e) => `${e.name} (${e.model} via ${e.provider})`).join(', ')}.`,
    );
  }
  return 0;
}

/** Switching the route, possibly to a provider the gateway lacks: see inference-switch.ts. */
export async function inferenceSet(
  ctx: Context,
  deps: OpsWorld,
  o: SwitchOptions,
): Promise<number> {
  const { inferenceSwitch } = await import('./inference-switch.ts');
  return inferenceSwitch(ctx, deps, o);
}

export async function credentialsList(
  ctx: Context,
  deps: OpsWorld,
  o: { json?: boolean },
): Promise<number> {
  const { scopeFor } = await import('./inference-switch.ts');
  const { gateway, workspace } = await scopeFor(ctx);
  const list = await (await deps.openshell(gateway, workspace)).providerList();
  const rows = list.map((p) => ({
    name: p.name,
    type: p.type,
    credentialKeys: p.credential_keys,
    configKeys: p.config_keys,
  }));
  if (o.json) {
    ctx.ui.json({ schemaVersion: 1, gateway, providers: rows });
    return 0;
  }
  if (rows.length === 0) {
    ctx.ui.out(`Gateway ${gateway} holds no providers. Run \`nemoclaw onboard\` to add one.`);
    return 0;
  }
  ctx.ui.out(`Providers on gateway ${gateway} (key names only; values stay in the gateway):`);
  for (const r of rows) {
    ctx.ui.out(`  ${r.name.padEnd(28)} ${r.type.padEnd(10)} ${r.credentialKeys.join(', ') || '-'}`);
  }
  return 0;
}

/**
 * `credentials reset <provider>`: replaces the stored credential in place (`provider update`), with
 * the new value from the provider's env variable or a hidden prompt. In place, because deleting
 * the provider would break every sandbox created with it until each is re-onboarded.
 */
export async function credentialsReset(
  ctx: Context,
  deps: OpsWorld,
  o: { provider: string },
): Promise<number> {
  const { scopeFor } = await import('./inference-switch.ts');
  const { gateway, workspace } = await scopeFor(ctx);
  const client = await deps.openshell(gateway, workspace);
  const name = openshellProviderName(o.provider);
  const prov = await client.providerGet(name);
  if (!prov) {
    const known = (await client.providerList()).map((p) => p.name);
    const guess = didYouMean(name, known);
    throw new NemoclawError('not-found', `The gateway has no provider ${name}.`, {
      hint: guess ? `Did you mean ${guess}?` : `Providers: ${known.join(', ') || 'none'}`,
    });
  }
  const spec = PROVIDERS.find((p) => p.openshellName === name);
  const keys = prov.credential_keys.length
    ? prov.credential_keys
    : spec?.credentialKey
      ? [spec.credentialKey]
      : [];
  if (keys.length === 0) {
    throw new NemoclawError('failed', `Provider ${name} stores no credential to reset.`);
  }
  const env: Record<string, string> = {};
  for (const key of keys) {
    // The user supplies Gemini's key as GEMINI_API_KEY although OpenShell stores OPENAI_API_KEY.
    const userEnv = spec?.credentialKey === key && spec.userEnv ? spec.userEnv : key;
    let v = ctx.env[userEnv]?.trim();
    if (!v) {
      if (ctx.nonInteractive || !ctx.ui.stdinIsTTY) {
        throw new UsageError(`The new value for ${key} is needed and ${userEnv} is not set.`, {
          hint: `Set it and run again: ${userEnv}=… nemoclaw credentials reset ${o.provider}`,
        });
      }
      v = (await (await deps.prompter()).password(`New value for ${key} (${name}):`)).trim();
    }
    if (!v) throw new UsageError(`The new value for ${key} is empty.`);
    registerSecret(v);
    env[key] = v;
  }
  await client.providerUpdate({ name, type: prov.type, credentialEnv: keys, env });
  ctx.ui.out(
    `Updated ${keys.join(', ')} of provider ${name}. Sandboxes use the new value on their next request.`,
  );
  return 0;
}
