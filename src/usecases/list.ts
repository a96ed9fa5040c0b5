import type { Context } from '../context.ts';

export async function listSandboxes(ctx: Context, o: { json?: boolean }): Promise<number> {
  const reg = await ctx.registry().read();
  const names = Object.keys(reg.sandboxes).sort();
  if (o.json) {
    ctx.ui.json({
      schemaVersion: 1,
      defaultSandbox: reg.defaultSandbox,
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
        };
      }),
    });
    return 0;
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
  }
  ctx.ui.out('');
  ctx.ui.out('* = default sandbox');
  return 0;
}
