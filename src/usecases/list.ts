/**
 * `list [--json]`: the registry, joined with OpenShell's view of each sandbox. With no sandboxes
 * registered nothing else is asked (the startup fast path in cli.ts runs this same function);
 * otherwise one `sandbox list -o json` per gateway, whose outcome is also the gateway's health.
 * Exit 1 when a gateway is down while sandboxes are registered on it.
 */
import type { Context } from '../context.ts';
import { redactionCouldChange } from '../core/redact.ts';
import type { World } from '../world.ts';
import type { Inventory } from './inventory.ts';

/** What `list` uses of the context (cli.ts's fast path builds just this). */
export type ListContext = Pick<Context, 'registry' | 'ui'>;
/** What `list` uses of the world (list-fast.ts builds just this). */
export type ListWorld = Pick<World, 'quickReader'>;

export async function listSandboxes(
  ctx: ListContext,
  world: ListWorld,
  o: { json?: boolean },
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
    inv = await inventory.takeInventory(reg, (gw) => world.quickReader(gw, { blocking: one }), {
      probeStatus: false,
    });
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
  const lines = ['Sandboxes:'];
  for (const n of names) {
    const s = reg.sandboxes[n]!;
    const mark = n === reg.defaultSandbox ? ' *' : '';
    lines.push(
      `  ${n}${mark}`,
      `    agent: ${s.agent}  model: ${s.model}  provider: ${s.provider}  ${s.gpu.enabled ? 'GPU' : 'CPU'}  policies: ${s.presets.join(', ') || 'none'}`,
      s.workspace
        ? `    route: ${s.model} via ${s.provider} (own, workspace ${s.workspace})`
        : `    route: ${s.model} via ${s.provider} (shared: default workspace of gateway ${s.gatewayName})`,
      `    phase: ${phaseText(inv?.phases.get(n))}`,
    );
  }
  lines.push('', '* = default sandbox');
  for (const g of inv?.gateways ?? []) {
    lines.push(
      `gateway ${g.name}: ${g.up ? `up${g.version ? ` (v${g.version})` : ''}` : `down [${g.status}]${g.error ? ` (${g.error})` : ''}`}`,
    );
  }
  // Each line is redacted on its own, as always. When redaction provably leaves the whole text as
  // it is (the usual case, decided without running a pattern), that holds for every line too and
  // the list is written at once, the same bytes: one redaction instead of one per line, the bulk
  // of the cost. A line with a newline of its own (a value from the registry or OpenShell) is
  // written alone, as ui.out always wrote it.
  const text = lines.join('\n');
  if (lines.some((l) => l.includes('\n')) || redactionCouldChange(text)) {
    for (const l of lines) ctx.ui.out(l);
  } else ctx.ui.out(text);
  if (inv?.untracked.length) {
    ctx.ui.info(
      `OpenShell also has sandboxes nemoclaw did not register: ${inv.untracked.join(', ')}`,
    );
  }
  if (code !== 0)
    ctx.ui.error('A gateway is down; see `nemoclaw status` and run `nemoclaw <name> recover`.');
  return code;
}
