/**
 * The closing summary: what was made, then the user's next five minutes (issue 19) — the dashboard
 * and how to sign in without printing the token into a shared log, how to talk to the agent, what
 * the policy allows and how to widen it, where the logs are. Read from the registry entry the
 * onboarding just wrote (the real state), falling back to the session's answers.
 */
import { join } from 'node:path';
import type { Context } from '../../context.ts';
import type { Session } from '../../core/onboard/session.ts';
import { findProvider } from '../../core/providers.ts';
import { formatDuration } from '../../core/durations.ts';
import { logFileName } from '../../core/log-file-name.ts';

/** Where each agent keeps its dashboard token inside the sandbox, and its terminal UI. */
const AGENT_FACTS = {
  openclaw: {
    label: 'OpenClaw',
    tui: 'openclaw tui',
    token: 'the value of gateway.auth.token in /sandbox/.openclaw/openclaw.json',
  },
  hermes: {
    label: 'Hermes',
    tui: 'hermes',
    token: "the dashboard token in Hermes's configuration under /sandbox/.hermes/",
  },
} as const;

export async function renderSummary(
  ctx: Context,
  s: Session,
  o: { tookMs?: number } = {},
): Promise<string> {
  const i = s.intent;
  const out = s.outputs;
  const entry = (await ctx.registry().read()).sandboxes[i.sandboxName];
  const spec = findProvider(i.provider);
  const agent = AGENT_FACTS[i.agent === 'hermes' ? 'hermes' : 'openclaw'];
  const port = entry?.dashboardPort ?? out.forwardPort ?? i.dashboardPort;
  const bind = ctx.env.NEMOCLAW_DASHBOARD_BIND?.trim() || '127.0.0.1';
  const tier = entry?.policyTier ?? i.policyTier;
  const presetList = entry?.presets ?? out.presets ?? [];
  const presets = presetList.length ? presetList.join(', ') : 'none';
  const n = i.sandboxName;
  const rule = '─'.repeat(60);
  const allows = presetList.length
    ? `inference.local plus the hosts of: ${presetList.join(', ')}`
    : 'inference.local only; every other host is denied';
  const lines = [
    rule,
    `Sandbox      ${n} (${agent.label})`,
    `Protection   deny-by-default egress, Landlock filesystem, non-root process`,
    `Policy       tier ${tier}; presets: ${presets}`,
    `Model        ${out.model ?? i.model} via ${spec?.label ?? i.provider}`,
    `Inference    https://inference.local — the key stays in the OpenShell gateway`,
    `GPU          ${out.gpu?.enabled ? `passed through${out.gpu.count ? ` (${out.gpu.count})` : ''}` : 'none'}`,
    `Dashboard    http://${bind}:${port}/`,
    `Blueprint    ${out.blueprintVersion} (${out.blueprintDigest?.slice(0, 19)}…)`,
    rule,
    'Your next five minutes:',
    `  1. Open the dashboard: http://${bind}:${port}/ (forwarded into the sandbox).`,
    `     Its sign-in token is not printed here, so it stays out of logs. On your own terminal:`,
    `     nemoclaw ${n} connect, then read ${agent.token}.`,
    `  2. Talk to the agent: nemoclaw ${n} connect, then run: ${agent.tui}`,
    `  3. The policy allows ${allows}.`,
    `     Widen it: nemoclaw ${n} policy-add <preset> (see nemoclaw ${n} policy-list),`,
    `     or check a URL first: nemoclaw ${n} policy-check <url>`,
    `  4. Logs: nemoclaw ${n} logs --follow (gateway and sandbox, denials included);`,
    `     this run: ${join(ctx.paths.logsDir, logFileName(ctx.now()))}`,
    ...(o.tookMs !== undefined ? [`Onboarding took ${formatDuration(o.tookMs)}.`] : []),
  ];
  return lines.join('\n');
}
