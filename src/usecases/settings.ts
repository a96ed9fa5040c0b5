/**
 * `use <name>`, `inference get|set` (`credentials list|reset`: credentials.ts). One inference
 * route serves every sandbox on a gateway (openshell-contract.md §4), so changing it says which
 * other sandboxes it affects (user-pain-points 13).
 */
import type { Context } from '../context.ts';
import { findProvider } from '../core/providers.ts';
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
