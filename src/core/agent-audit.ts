/**
 * The agent's own security audit (issue 20, product.md §14): `openclaw security audit --json` run in
 * the sandbox as the agent's user. This module parses its report and says, for each finding, whether
 * nemoclaw can change it from the host. The agent's config is baked into the image and read-only in
 * the sandbox, so a config finding is fixed by changing what nemoclaw generates and rebuilding, never
 * by an edit inside the sandbox (a rebuild would undo it). Pure.
 *
 * Report shape, as openclaw 2026.9.6 prints it: {ts, summary: {critical, warn, info},
 * findings: [{checkId, severity, title, detail, remediation?}], secretDiagnostics: []}.
 */
import * as z from 'zod';

/** Where nemoclaw reads each agent's audit; an agent without one has no entry. */
export const AUDIT_COMMANDS: Record<string, string[]> = {
  openclaw: ['openclaw', 'security', 'audit', '--json'],
};

const MAX_FINDINGS = 500;
const text = (max: number) => z.string().max(max);

export const AuditReportSchema = z.object({
  summary: z.object({
    critical: z.number().int().nonnegative(),
    warn: z.number().int().nonnegative(),
    info: z.number().int().nonnegative(),
  }),
  findings: z
    .array(
      z.object({
        checkId: text(200),
        severity: z.enum(['critical', 'warn', 'info']),
        title: text(500),
        detail: text(4000).optional(),
        remediation: text(4000).optional(),
      }),
    )
    .max(MAX_FINDINGS),
});
export type AuditReport = z.infer<typeof AuditReportSchema>;

export type AuditParse = { ok: true; report: AuditReport } | { ok: false; error: string };

/** The audit prints JSON on stdout; anything before the first `{` (a banner, a warning) is skipped. */
export function parseAuditReport(stdout: string): AuditParse {
  const start = stdout.indexOf('{');
  if (start < 0) return { ok: false, error: 'the audit printed no JSON' };
  let raw: unknown;
  try {
    raw = JSON.parse(stdout.slice(start));
  } catch (e) {
    return { ok: false, error: `the audit printed invalid JSON (${(e as Error).message})` };
  }
  const r = AuditReportSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return {
      ok: false,
      error: `unexpected audit report at ${i.path.join('.') || '(root)'}: ${i.message}`,
    };
  }
  return { ok: true, report: r.data };
}

/**
 * Config sections nemoclaw generates (agent manifest, product.md §14): a finding about one of them
 * is changed from the host. File-permission findings are image-time too.
 */
const HOST_OWNED = [
  'gateway',
  'channels',
  'agents',
  'models',
  'tools',
  'hooks',
  'browser',
  'plugins',
  'fs',
  'config',
  'secrets',
];

export interface AuditFinding {
  checkId: string;
  severity: 'critical' | 'warn' | 'info';
  title: string;
  /** How to change it: from the host (and how), or inside the agent. */
  changeFrom: 'host' | 'agent';
  how: string;
}

export function classifyFinding(f: AuditReport['findings'][number], sandbox: string): AuditFinding {
  const root = f.checkId.split('.')[0] ?? '';
  const host = HOST_OWNED.includes(root);
  return {
    checkId: f.checkId,
    severity: f.severity,
    title: f.title,
    changeFrom: host ? 'host' : 'agent',
    how: host
      ? `nemoclaw writes this part of the agent's config into the image (read-only in the sandbox); change the onboarding answer it comes from, then: nemoclaw ${sandbox} rebuild${f.remediation ? `. The agent suggests: ${f.remediation}` : ''}`
      : (f.remediation ?? 'a setting of the agent itself, not of nemoclaw'),
  };
}

export interface AuditSummary {
  critical: number;
  warn: number;
  info: number;
  /** Critical findings and warnings, in that order; info is counted, not listed. */
  findings: AuditFinding[];
}

export function summariseAudit(report: AuditReport, sandbox: string): AuditSummary {
  const rank = { critical: 0, warn: 1, info: 2 } as const;
  const findings = report.findings
    .filter((f) => f.severity !== 'info')
    .sort((a, b) => rank[a.severity] - rank[b.severity])
    .map((f) => classifyFinding(f, sandbox));
  return { ...report.summary, findings };
}

/** As a status part / doctor check: critical fails, warnings warn. */
export function auditState(s: AuditSummary): 'ok' | 'warn' | 'fail' {
  return s.critical > 0 ? 'fail' : s.warn > 0 ? 'warn' : 'ok';
}

export function auditLine(s: AuditSummary): string {
  const head = `${s.critical} critical, ${s.warn} warning(s)`;
  const first = s.findings[0];
  return first ? `${head}; first: ${first.title} (${first.checkId})` : `${head}`;
}
