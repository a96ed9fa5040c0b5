/** The closing summary, as the reference prints it: sandbox and protections, model, next commands. */
import type { Context } from '../../context.ts';
import type { Session } from '../../core/onboard/session.ts';
import { findProvider } from '../../core/providers.ts';

export function renderSummary(ctx: Context, s: Session): string {
  const i = s.intent;
  const o = s.outputs;
  const spec = findProvider(i.provider);
  const rule = '─'.repeat(60);
  const presets = o.presets?.length ? o.presets.join(', ') : 'none';
  const lines = [
    rule,
    `Sandbox      ${i.sandboxName} (${i.agent === 'hermes' ? 'Hermes' : 'OpenClaw'})`,
    `Protection   deny-by-default egress, Landlock filesystem, non-root process`,
    `Policy       tier ${i.policyTier}; presets: ${presets}`,
    `Model        ${o.model ?? i.model} via ${spec?.label ?? i.provider}`,
    `Inference    https://inference.local — the key stays in the OpenShell gateway`,
    `GPU          ${o.gpu?.enabled ? `passed through${o.gpu.count ? ` (${o.gpu.count})` : ''}` : 'none'}`,
    `Dashboard    http://127.0.0.1:${i.dashboardPort}/`,
    `Blueprint    ${o.blueprintVersion} (${o.blueprintDigest?.slice(0, 19)}…)`,
    rule,
    'Next:',
    `  nemoclaw ${i.sandboxName} connect        open a shell in the sandbox`,
    `  nemoclaw ${i.sandboxName} status         phase, health, policy and inference`,
    `  nemoclaw ${i.sandboxName} logs --follow  gateway and sandbox logs, including denials`,
  ];
  void ctx;
  return lines.join('\n');
}
