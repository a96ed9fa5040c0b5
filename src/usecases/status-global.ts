/**
 * `status [--json]`: each gateway's health (OpenShell's word, plus the local gateway container's
 * state from the Engine) and each registered sandbox's phase. Exit 1 when a gateway is down while
 * sandboxes are registered on it (reference-behaviour §1: `gateway: down [state] (reason)`).
 */
import type { Context } from '../context.ts';
import { DEFAULT_GATEWAY_CONTAINER } from '../core/gateway-plan.ts';
import { isRemoteEntry } from '../core/ops/gateway-of.ts';
import type { OpsWorld } from '../world.ts';
import { phaseText, takeInventory } from './inventory.ts';

export async function globalStatus(
  ctx: Context,
  deps: OpsWorld,
  o: { json?: boolean },
): Promise<number> {
  const reg = await ctx.registry().read();
  const names = Object.keys(reg.sandboxes).sort();
  const local = names.some((n) => !isRemoteEntry(reg.sandboxes[n]!));
  const containerName = ctx.env.NEMOCLAW_GATEWAY_CONTAINER?.trim() || DEFAULT_GATEWAY_CONTAINER;
  const [inv, container] = await Promise.all([
    takeInventory(reg, (gw) => deps.openshell(gw)),
    local || names.length === 0
      ? gatewayContainer(deps, containerName)
      : Promise.resolve(undefined),
  ]);
  const down = inv.gateways.filter((g) => !g.up);
  const code = down.length > 0 && names.length > 0 ? 1 : 0;
  if (o.json) {
    ctx.ui.json({
      schemaVersion: 1,
      healthy: code === 0,
      gateways: inv.gateways.map((g) => ({ ...g, state: g.up ? 'ok' : 'unreachable' })),
      gatewayContainer: container ?? null,
      defaultSandbox: reg.defaultSandbox,
      sandboxes: names.map((n) => {
        const p = inv.phases.get(n);
        return {
          name: n,
          isDefault: n === reg.defaultSandbox,
          gateway: reg.sandboxes[n]!.gatewayName,
          phase: p ?? null,
          state:
            p === undefined ? 'unreachable' : p === 'Ready' ? 'ok' : p === null ? 'fail' : 'warn',
        };
      }),
      untracked: inv.untracked,
    });
    return code;
  }
  if (names.length === 0) {
    ctx.ui.out('No sandboxes registered. Run `nemoclaw onboard` to get started.');
  }
  for (const g of inv.gateways) {
    const c =
      container && g.name === 'nemoclaw'
        ? ` [container ${container.name}: ${container.status}${container.restarts ? `, ${container.restarts} restarts` : ''}]`
        : '';
    ctx.ui.out(
      g.up
        ? `gateway ${g.name}: up${g.version ? ` (v${g.version})` : ''}${c}`
        : `gateway ${g.name}: down [${g.status}]${g.error ? ` (${g.error})` : ''}${c}`,
    );
  }
  if (inv.gateways.length === 0 && container) {
    ctx.ui.out(`gateway container ${container.name}: ${container.status}`);
  }
  if (names.length > 0) ctx.ui.out('Sandboxes:');
  for (const n of names) {
    const mark = n === reg.defaultSandbox ? ' *' : '';
    const e = reg.sandboxes[n]!;
    ctx.ui.out(
      `  ${`${n}${mark}`.padEnd(24)} ${phaseText(inv.phases.get(n)).padEnd(12)} ${e.agent}  ${e.model}`,
    );
  }
  if (code !== 0) {
    ctx.ui.error(
      `The gateway does not answer. Bring it back with: nemoclaw ${reg.defaultSandbox ?? names[0]} recover`,
    );
  }
  return code;
}

async function gatewayContainer(
  deps: OpsWorld,
  name: string,
): Promise<{ name: string; status: string; restarts?: number; error?: string }> {
  try {
    const { inspectContainer } = await deps.docker();
    const c = await inspectContainer(await deps.engine(), name);
    return c
      ? { name, status: c.status, restarts: c.restartCount }
      : { name, status: 'missing', restarts: 0 };
  } catch (e) {
    return { name, status: 'unknown', error: (e as Error).message };
  }
}
