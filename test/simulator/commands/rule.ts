/**
 * `rule get|approve|reject|history` (cli/src/run.rs sandbox_draft_*; server/src/grpc/policy.rs
 * handle_*_draft_*). Text output only (the real commands have no `-o json`), with the ANSI codes
 * owo-colors writes unconditionally (NO_COLOR is not consulted). Chunks come from drafts.ts.
 */
import type { Parsed } from '../args.ts';
import type { DraftChunkRec, ProposedEndpoint } from '../drafts.ts';
import { mergeRule, removeRuleBinary } from '../drafts.ts';
import { formatEpochMs, grpcError, out } from '../io.ts';
import type { SandboxRec, ServerState } from '../state.ts';
import { server, update } from '../state.ts';
import { pushEvent, pushRevision, sandboxName, serverContext } from './common.ts';

const ansi = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const cyan = ansi(36, 39);
const green = ansi(32, 39);
const yellow = ansi(33, 39);
const red = ansi(31, 39);
const bold = ansi(1, 0);
const dimmed = ansi(2, 0);

function colourStatus(s: string): string {
  return s === 'pending' ? yellow(s) : s === 'approved' ? green(s) : s === 'rejected' ? red(s) : s;
}

/** format_endpoint: `host:port [L7 rest, allow GET /p]` or `host:port [L4]`. */
function formatEndpoint(e: ProposedEndpoint): string {
  const hp = e.port > 0 ? `${e.host}:${e.port}` : e.host;
  const tags = [e.protocol?.toLowerCase() === 'rest' ? 'L7 rest' : e.protocol ? e.protocol : 'L4'];
  for (const r of e.rules ?? []) tags.push(`allow ${r.allow.method || '*'} ${r.allow.path || '*'}`);
  return `${hp} [${tags.join(', ')}]`;
}

/** commands/common.rs format_timestamp_ms: `HH:MM`, or `<days>d HH:MM` since the epoch. */
function formatTimestampMs(ms: number): string {
  if (ms <= 0) return '-';
  const secs = Math.floor(ms / 1000);
  const mins = Math.floor(secs / 60) % 60;
  const hours = Math.floor(secs / 3600) % 24;
  const days = Math.floor(secs / 86400);
  const hm = `${String(hours).padStart(2, '0')}:${String(mins).padStart(2, '0')}`;
  return days > 0 ? `${days}d ${hm}` : hm;
}

async function target(p: Parsed) {
  const { ctx, state, srv } = await serverContext(p);
  const name = sandboxName(p.positionals.name as string | undefined, state, ctx);
  return { endpoint: ctx.endpoint, name, rec: ruleSandbox(srv, name) };
}

/** The draft handlers say `sandbox not found`, without the name (server/src/grpc/policy.rs). */
function ruleSandbox(srv: ServerState, name: string): SandboxRec {
  const rec = srv.sandboxes[name];
  if (!rec) throw grpcError('NotFound', 'sandbox not found');
  return rec;
}

function chunkOf(rec: SandboxRec, id: string): DraftChunkRec {
  if (!id) throw grpcError('InvalidArgument', 'chunk_id is required');
  const c = (rec.drafts ?? []).find((x) => x.id === id);
  if (!c) throw grpcError('NotFound', 'chunk not found');
  return c;
}

export async function get(p: Parsed): Promise<void> {
  const { name, rec } = await target(p);
  const filter = (p.flags.status as string | undefined) ?? '';
  const chunks = (rec.drafts ?? []).filter((c) => !filter || c.status === filter);
  if (chunks.length === 0) {
    out(`No network rules for sandbox '${name}'`);
    return;
  }
  const n = chunks.length;
  const lines = [
    `${bold(cyan('Network Rules:'))}  (version ${rec.draft_version ?? 0}, ${n} chunk${n === 1 ? '' : 's'})`,
    '',
  ];
  for (const c of chunks) {
    lines.push(`  ${dimmed('Chunk:')} ${c.id}`);
    lines.push(`  ${dimmed('Status:')} ${colourStatus(c.status)}`);
    lines.push(`  ${dimmed('Rule:')} ${c.rule_name}`);
    if (c.binary) lines.push(`  ${dimmed('Binary:')} ${c.binary}`);
    lines.push(`  ${dimmed('Confidence:')} ${Math.round(c.confidence * 100)}%`);
    lines.push(`  ${dimmed('Rationale:')} ${c.rationale}`);
    if (c.security_notes) lines.push(`  ${dimmed('Security:')} ${yellow(c.security_notes)}`);
    lines.push(
      `  ${dimmed('Endpoints:')} ${c.proposed_rule.endpoints.map(formatEndpoint).join(', ')}`,
    );
    if (c.proposed_rule.binaries.length > 0) {
      const bins = c.proposed_rule.binaries.map((b) => b.path).join(', ');
      lines.push(`  ${dimmed('Binaries:')} ${bins}`);
    }
    if (c.hit_count > 1) {
      lines.push(
        `  ${dimmed('Hits:')} ${c.hit_count} (first seen ${formatEpochMs(c.first_seen_ms)}, last seen ${formatEpochMs(c.last_seen_ms)})`,
      );
    }
    lines.push('');
  }
  out(lines.join('\n'));
}

export async function approve(p: Parsed): Promise<void> {
  const { endpoint, name } = await target(p);
  const id = p.flags.chunk_id as string;
  const r = update((s) => {
    const rec = ruleSandbox(server(s, endpoint), name);
    const c = chunkOf(rec, id);
    if (c.status !== 'pending' && c.status !== 'rejected') {
      throw grpcError(
        'FailedPrecondition',
        `chunk status is '${c.status}', expected 'pending' or 'rejected'`,
      );
    }
    const policy = mergeRule(rec.policy_revisions.at(-1)!.policy, c.rule_name, c.proposed_rule);
    // A new policy revision, as policy set makes one, loaded at once.
    const rev = pushRevision(rec, policy);
    c.status = 'approved';
    c.decided_at_ms = Date.now();
    pushEvent(rec, `CONFIG:APPROVED draft chunk ${c.id}`, { rule: c.rule_name });
    return rev;
  });
  out(
    `${bold(green('OK'))} Chunk approved. Policy version: ${r.version}, hash: ${r.hash.slice(0, 12)}`,
  );
}

export async function reject(p: Parsed): Promise<void> {
  const { endpoint, name } = await target(p);
  const id = p.flags.chunk_id as string;
  const reason = (p.flags.reason as string | undefined) ?? '';
  update((s) => {
    const rec = ruleSandbox(server(s, endpoint), name);
    const c = chunkOf(rec, id);
    if (c.status !== 'pending' && c.status !== 'approved') {
      throw grpcError(
        'FailedPrecondition',
        `chunk status is '${c.status}', expected 'pending' or 'approved'`,
      );
    }
    if (c.status === 'approved') {
      pushRevision(
        rec,
        removeRuleBinary(rec.policy_revisions.at(-1)!.policy, c.rule_name, c.binary),
      );
    }
    c.status = 'rejected';
    c.decided_at_ms = Date.now();
    c.rejection_reason = reason;
  });
  out(`${bold(green('OK'))} Chunk rejected.`);
}

export async function history(p: Parsed): Promise<void> {
  const { name, rec } = await target(p);
  const entries: { ts: number; type: string; description: string; id: string }[] = [];
  for (const c of rec.drafts ?? []) {
    entries.push({
      ts: c.created_at_ms,
      type: 'proposed',
      description: `Rule '${c.rule_name}' proposed (confidence: ${Math.round(c.confidence * 100)}%)`,
      id: c.id,
    });
    if (c.decided_at_ms !== null) {
      entries.push({
        ts: c.decided_at_ms,
        type: c.status,
        description: `Rule '${c.rule_name}' ${c.status}`,
        id: c.id,
      });
    }
  }
  if (entries.length === 0) {
    out(`No rule history for sandbox '${name}'`);
    return;
  }
  entries.sort((a, b) => a.ts - b.ts);
  const lines = [bold(cyan('Rule History:')), ''];
  for (const e of entries) {
    const type = e.type === 'proposed' ? yellow(e.type) : colourStatus(e.type);
    lines.push(
      `  ${dimmed(formatTimestampMs(e.ts))} ${type} [${e.id.slice(0, 8)}] ${e.description}`,
    );
  }
  out(lines.join('\n'));
}
