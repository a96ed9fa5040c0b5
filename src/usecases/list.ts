/**
 * `list [--json]`: the registry, joined with OpenShell's view of each sandbox. With no sandboxes
 * registered nothing else is asked (the startup fast path in cli.ts runs this same function);
 * otherwise one `sandbox list -o json` per gateway, whose outcome is also the gateway's health.
 * Exit 1 when a gateway is down while sandboxes are registered on it.
 */
import type { QuickReader } from '../adapters/openshell/quick.ts';
import type { Context } from '../context.ts';
import type { Inventory } from './inventory.ts';

/** What `list` uses of the context (cli.ts's fast path builds just this). */
export type ListContext = Pick<Context, 'env' | 'registry' | 'ui'>;

export async function listSandboxes(
  ctx: ListContext,
  o: { json?: boolean },
  clientFor?: (gateway: string) => Promise<QuickReader>,
): Promise<number> {
  const reg = await ctx.registry().read();
  const names = Object.keys(reg.sandboxes).sort();
  let inv: Inventory | undefined;
  let phaseText = (p: string | null | undefined): string => String(p);
  if (names.length > 0) {
    // Loaded only when there is something to ask about: an empty `list` loads one module less.
    const inventory = await import('./inventory.ts');
    phaseText = inventory.phaseText;
    // One gateway (the usual case) is asked with a blocking call, the cheapest; several in parallel.
    const one = new Set(names.map((n) => reg.sandboxes[n]!.gatewayName)).size === 1;
    const get =
      clientFor ??
      (async (gw: string) =>
        (await import('../adapters/openshell/quick.ts')).createQuickReader({
          gateway: gw,
          env: ctx.env,
          blocking: one,
        }));
    inv = await inventory.takeInventory(reg, get, { probeStatus: false });
  }
  const down = inv?.gateways.filter((g) => !g.up) ?? [];
  const code = down.length > 0 ? 1 : 0;
  if (o.json) {
    ctx.ui.json({
      schemaVersion: 1,
      defaultSandbox: reg.defaultSandbox,
      gateways: inv?.gateways ?? [],
      sandboxes: names.map((n) => {
        const s = reg.sandboxes[n]!;
        return {
          name: n,
          isDefault: n === reg.defaultSandbox,
          agent: s.agent,
          provider: s.provider,
          model: s.model,
          gpuEnabled: s.gpu.enabled,
          policyTier: s.policyTier,
          policies: s.presets,
          blueprintVersion: s.blueprintVersion,
          createdAt: s.createdAt,
          gateway: s.gatewayName,
          workspace: s.workspace ?? 'default',
          route: { provider: s.provider, model: s.model, shared: !s.workspace },
          phase: inv?.phases.get(n) ?? null,
          phaseKnown: inv?.phases.get(n) !== undefined,
        };
      }),
      untracked: inv?.untracked ?? [],
    });
    return code;
  }
  if (names.length === 0) {
    ctx.ui.out('No sandboxes registered. Run `nemoclaw onboard` to get started.');
    return 0;
  }
  ctx.ui.out('Sandboxes:');
  for (const n of names) {
    const s = reg.sandboxes[n]!;
    const mark = n === reg.defaultSandbox ? ' *' : '';
    ctx.ui.out(`  ${n}${mark}`);
    ctx.ui.out(
      `    agent: ${s.agent}  model: ${s.model}  provider: ${s.provider}  ${s.gpu.enabled ? 'GPU' : 'CPU'}  policies: ${s.presets.join(', ') || 'none'}`,
    );
    ctx.ui.out(
      s.workspace
        ? `    route: ${s.model} via ${s.provider} (own, workspace ${s.workspace})`
        : `    route: ${s.model} via ${s.provider} (shared: default workspace of gateway ${s.gatewayName})`,
    );
    ctx.ui.out(`    phase: ${phaseText(inv?.phases.get(n))}`);
  }
  ctx.ui.out('');
  ctx.ui.out('* = default sandbox');
  for (const g of inv?.gateways ?? []) {
    ctx.ui.out(
      `gateway ${g.name}: ${g.up ? `up${g.version ? ` (v${g.version})` : ''}` : `down [${g.status}]${g.error ? ` (${g.error})` : ''}`}`,
    );
  }
  if (inv?.untracked.length) {
    ctx.ui.info(
      `OpenShell also has sandboxes nemoclaw did not register: ${inv.untracked.join(', ')}`,
    );
  }
  if (code !== 0)
    ctx.ui.error('A gateway is down; see `nemoclaw status` and run `nemoclaw <name> recover`.');
  return code;
}
