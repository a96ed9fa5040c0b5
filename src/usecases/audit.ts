/**
 * The operator audit trail: recording a finished command (called once, from the command runner),
 * `audit show [--since] [--json]` and `audit verify`.
 */
import { existsSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Context } from '../context.ts';
import type { World } from '../world.ts';
import {
  isAudited,
  parseRecords,
  parseSince,
  verifyLog,
  type AuditRecord,
  type AuditResult,
} from '../core/audit.ts';
import { ExitCode, UsageError } from '../core/errors.ts';
import type { Plan } from '../core/plan.ts';
import { redact, redactValue } from '../core/redact.ts';

export interface Invocation {
  /** Command words, e.g. ['policy', 'approve']. */
  path: string[];
  sandbox?: string;
  args: unknown[];
  opts: Record<string, unknown>;
  argv: string[];
  /** Whether the trail existed when the command started. */
  trailExisted?: boolean;
}

/** Whether the audit trail is on disk (checked before a command runs). */
export function auditTrailExists(ctx: Context): boolean {
  return existsSync(join(ctx.paths.home, 'audit', 'operator.jsonl'));
}

let notedPlan: Plan | undefined;

/** A use case that built a plan hands it to the record of this command. */
export function noteAuditPlan(plan: Plan): void {
  notedPlan = plan;
}

function currentUser(env: Context['env']): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.LOGNAME ?? `uid ${process.getuid?.() ?? '?'}`;
  }
}

/** Appends the record of a finished command, when it is one that changes something. */
export async function auditCommand(
  ctx: Context,
  world: Pick<World, 'audit'>,
  inv: Invocation,
  result: AuditResult,
): Promise<void> {
  // A usage error (exit 2) stops before anything is changed.
  if (!isAudited(inv.path, inv.opts) || result.exitCode === ExitCode.usage) return;
  // The command removed the trail with the rest of nemoclaw's state (uninstall): writing its
  // record would bring back what it just removed.
  if (inv.trailExisted && !auditTrailExists(ctx)) return;
  const { appendRecord, auditPaths } = await world.audit();
  const plan = redactValue({
    sandbox: inv.sandbox,
    args: inv.args.filter((a) => typeof a !== 'object' || a === null),
    options: inv.opts,
    ...(notedPlan ? { steps: notedPlan } : {}),
  });
  notedPlan = undefined;
  try {
    await appendRecord(auditPaths(ctx.paths.home), {
      time: ctx.now().toISOString(),
      user: currentUser(ctx.env),
      host: hostname(),
      command: redact(['nemoclaw', ...inv.argv].join(' ')),
      plan,
      result: result.error ? { ...result, error: redact(result.error) } : result,
    });
  } catch (e) {
    ctx.ui.warn(`Could not append to the audit trail: ${(e as Error).message}`);
  }
}

export async function auditShow(
  ctx: Context,
  world: Pick<World, 'audit'>,
  o: { since?: string; json?: boolean },
): Promise<number> {
  let since: Date | undefined;
  if (o.since !== undefined) {
    since = parseSince(o.since, ctx.now());
    if (!since) {
      throw new UsageError(`--since "${o.since}" is neither a date nor a duration.`, {
        hint: 'Use an ISO date (2026-05-01T12:00:00Z) or a duration back from now (30m, 12h, 7d).',
      });
    }
  }
  const { auditPaths, readLog } = await world.audit();
  const all = parseRecords(await readLog(auditPaths(ctx.paths.home)));
  const records = since ? all.filter((r) => new Date(r.time) >= since) : all;
  if (o.json) {
    ctx.ui.json({ schemaVersion: 1, records });
    return 0;
  }
  if (records.length === 0) ctx.ui.info('No audit records.');
  for (const r of records) ctx.ui.out(line(r));
  return 0;
}

function line(r: AuditRecord): string {
  const res = r.result.exitCode === 0 ? 'ok' : `exit ${r.result.exitCode}`;
  const err = r.result.error ? ` (${r.result.error})` : '';
  return `${String(r.seq).padStart(5)}  ${r.time}  ${r.user}@${r.host}  ${res}${err}  ${r.command}`;
}

export async function auditVerify(
  ctx: Context,
  world: Pick<World, 'audit'>,
  o: { json?: boolean },
): Promise<number> {
  const { auditPaths, readHead, readLog } = await world.audit();
  const p = auditPaths(ctx.paths.home);
  const v = verifyLog(await readLog(p), await readHead(p));
  if (o.json) {
    ctx.ui.json({ schemaVersion: 1, file: p.log, ...v });
    return v.ok ? 0 : 1;
  }
  if (!v.ok) {
    const seq = v.broken.seq !== undefined ? `record ${v.broken.seq}` : 'the record';
    ctx.ui.error(
      `The audit trail is broken at line ${v.broken.line} (${seq}): ${v.broken.reason}.`,
    );
    ctx.ui.info(`${v.records} record(s) before it verify. File: ${p.log}`);
    return 1;
  }
  if (v.tornTail) {
    ctx.ui.info(
      `The last line (${v.tornTail} bytes) is a write that was interrupted; it is not a record, and the next command discards it.`,
    );
  }
  ctx.ui.out(`✓ The audit trail verifies: ${v.records} record(s), chain intact (${p.log}).`);
  return 0;
}
