import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  auditLine,
  auditState,
  classifyFinding,
  parseAuditReport,
  summariseAudit,
} from '../../../src/core/agent-audit.ts';

// What the real `openclaw security audit --json` (2026.9.6) printed for an unconfigured home.
const real = readFileSync(
  join(import.meta.dirname, '../../fixtures/agent-audit/openclaw-2026.9.6-default-config.json'),
  'utf8',
);

describe("the agent's own security audit", () => {
  it('parses the real report, lists critical first, and counts info without listing it', () => {
    const p = parseAuditReport(real);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const s = summariseAudit(p.report, 'box');
    expect(s).toMatchObject({ critical: 1, warn: 2, info: 1 });
    expect(s.findings.map((f) => f.severity)).toEqual(['critical', 'warn', 'warn']);
    expect(s.findings[0]).toMatchObject({
      checkId: 'gateway.loopback_no_auth',
      changeFrom: 'host',
    });
    expect(s.findings[0]!.how).toContain('nemoclaw box rebuild');
    expect(auditState(s)).toBe('fail');
    expect(auditLine(s)).toMatch(/^1 critical, 2 warning\(s\); first: Gateway auth missing/);
  });

  it('a clean report is ok, warnings only warn', () => {
    const clean = { summary: { critical: 0, warn: 0, info: 3 }, findings: [] };
    const p = parseAuditReport(JSON.stringify(clean));
    expect(p.ok && auditState(summariseAudit(p.report, 'x'))).toBe('ok');
    const w = parseAuditReport(
      JSON.stringify({
        summary: { critical: 0, warn: 1, info: 0 },
        findings: [{ checkId: 'runtime.x', severity: 'warn', title: 'T' }],
      }),
    );
    expect(w.ok && auditState(summariseAudit(w.report, 'x'))).toBe('warn');
  });

  it('tells config findings (image-time, host) from the agent’s own', () => {
    const f = (checkId: string, remediation?: string) =>
      classifyFinding({ checkId, severity: 'warn', title: 't', remediation }, 'box');
    expect(f('channels.telegram.open_dm').changeFrom).toBe('host');
    expect(f('fs.config_world_readable').changeFrom).toBe('host');
    expect(f('summary.attack_surface', 'do X')).toMatchObject({ changeFrom: 'agent', how: 'do X' });
  });

  it('refuses what is not a report: no JSON, bad JSON, wrong shape, unbounded input', () => {
    expect(parseAuditReport('sh: openclaw: not found')).toEqual({
      ok: false,
      error: 'the audit printed no JSON',
    });
    expect(parseAuditReport('{"summary":')).toMatchObject({ ok: false });
    const shape = parseAuditReport('{"summary":{"critical":"many"},"findings":[]}');
    expect(shape).toMatchObject({ ok: false });
    if (!shape.ok) expect(shape.error).toMatch(/summary\.critical/);
    const huge = {
      summary: { critical: 0, warn: 0, info: 0 },
      findings: Array.from({ length: 501 }, () => ({ checkId: 'a', severity: 'info', title: 't' })),
    };
    expect(parseAuditReport(JSON.stringify(huge)).ok).toBe(false);
    // A banner line before the JSON is skipped.
    expect(parseAuditReport(`warning: something\n${real}`).ok).toBe(true);
  });
});
