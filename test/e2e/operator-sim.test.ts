/**
 * Operator control end to end against the simulator with a real sandbox container: blocked-request
 * review (the simulator turns a denial into a draft chunk), session export, declarative
 * configuration, and the audit trail those commands leave.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { skipWithoutDocker } from '../helpers/docker.ts';
import type { World } from '../helpers/e2e.ts';
import { onboardedWorld, registered, tearDownWorld } from '../helpers/sandbox-flow.ts';
import { freePort } from '../helpers/net.ts';
import { recordDenialAt } from '../simulator/drafts.ts';

const skip = await skipWithoutDocker('operator control against the simulator');
const NAME = 'op-one';
const CANARY = 'nvapi-SESSIONCANARY0123456789abcdef';

describe.skipIf(skip)('operator control on a real sandbox', () => {
  let w: World;
  const registry = () => registered(w);
  const ok = async (args: string[], env?: Record<string, string>) => {
    const r = await w.cli(args, { env });
    expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r;
  };

  beforeAll(async () => {
    ({ w } = await onboardedWorld(NAME, {
      world: { env: { NEMOCLAW_POLICY_TIER: 'restricted' } },
    }));
  }, 240_000);
  afterAll(() => tearDownWorld(w));

  it('lists a blocked request with the preset that covers it; approve --persist survives a rebuild', async () => {
    const id = recordDenialAt(w.sim.stateDir, NAME, {
      binary: '/usr/bin/curl',
      host: 'api.github.com',
      port: 443,
      method: 'GET',
      path: '/repos/o/r',
    })!;
    const other = recordDenialAt(w.sim.stateDir, NAME, {
      binary: '/usr/bin/curl',
      host: 'evil.example',
      port: 8443,
    })!;
    const list = JSON.parse((await ok([NAME, 'policy', 'requests', '--json'])).stdout);
    const gh = list.requests.find((r: { id: string }) => r.id === id);
    expect(gh).toMatchObject({
      status: 'pending',
      binary: '/usr/bin/curl',
      host: 'api.github.com',
      port: 443,
      method: 'GET',
      path: '/repos/o/r',
    });
    expect(gh.coveredBy).toContain('github');
    expect(list.requests.find((r: { id: string }) => r.id === other).coveredBy).toEqual([]);
    const text = await ok([NAME, 'policy', 'requests']);
    expect(text.stdout).toContain('covered by preset github');

    // Without a terminal, approval needs --yes; nothing changes.
    expect(
      (
        await w.cli([NAME, 'policy', 'approve', id.slice(0, 8)], {
          env: { NEMOCLAW_NON_INTERACTIVE: '' },
        })
      ).code,
    ).toBe(2);
    await ok([NAME, 'policy', 'approve', id.slice(0, 8), '--yes', '--persist']);
    expect((await ok([NAME, 'policy-get', '--raw'])).stdout).toContain('allow_api_github_com_443');
    const custom = registry()[NAME].customPolicies;
    expect(custom.map((c: { name: string }) => c.name)).toEqual([
      'approved-allow-api-github-com-443',
    ]);
    await ok([NAME, 'policy', 'reject', other, '--reason', 'not ours']);
    const hist = JSON.parse((await ok([NAME, 'policy', 'history', '--json'])).stdout);
    expect(hist.entries.map((e: { event: string }) => e.event).sort()).toEqual([
      'approved',
      'proposed',
      'proposed',
      'rejected',
    ]);
    const again = await w.cli([NAME, 'policy', 'approve', id, '--yes']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already approved');

    // (The agent's state must hold something for the pre-rebuild snapshot.)
    await ok([
      NAME,
      'exec',
      '--',
      'sh',
      '-c',
      'mkdir -p /sandbox/.openclaw/workspace && echo x > /sandbox/.openclaw/workspace/x',
    ]);
    await ok([NAME, 'rebuild', '--yes']);
    // A new instance: no drafts, but the persisted rule is back in its policy.
    expect(JSON.parse((await ok([NAME, 'policy', 'requests', '--json'])).stdout).requests).toEqual(
      [],
    );
    expect((await ok([NAME, 'policy-get', '--raw'])).stdout).toContain('allow_api_github_com_443');
  }, 240_000);

  it('exports session logs: only the session files, redacted, with matching hashes', async () => {
    const seed = [
      'mkdir -p /sandbox/.openclaw-data/agents/main/sessions /sandbox/.openclaw-data/agents/main/agent',
      `printf '%s\\n' '{"type":"session","id":"s1"}' '{"type":"message","text":"key ${CANARY}"}' > /sandbox/.openclaw-data/agents/main/sessions/s1.jsonl`,
      `printf '%s\\n' '{"agent:main:main":{"sessionId":"s1"}}' > /sandbox/.openclaw-data/agents/main/sessions/sessions.json`,
      `printf '%s\\n' '{"token":"${CANARY}"}' > /sandbox/.openclaw-data/agents/main/agent/auth-profiles.json`,
    ].join(' && ');
    await ok([NAME, 'exec', '--', 'sh', '-c', seed]);
    const out = join(w.home, 'export-dir');
    await ok([NAME, 'sessions', 'export', '--out', out]);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual([
      'sandbox/.openclaw-data/agents/main/sessions/s1.jsonl',
      'sandbox/.openclaw-data/agents/main/sessions/sessions.json',
    ]);
    for (const f of manifest.files) {
      const data = readFileSync(join(out, f.path));
      expect(createHash('sha256').update(data).digest('hex')).toBe(f.sha256);
    }
    const s1 = readFileSync(join(out, manifest.files[0].path), 'utf8');
    expect(s1).not.toContain(CANARY);
    expect(s1).toContain('<REDACTED>');
    expect(manifest.files[0].redactions).toBe(1);
    expect(readdirSync(join(out, 'sandbox/.openclaw-data/agents/main'))).toEqual(['sessions']);

    const tgz = join(w.home, 'export.tar.gz');
    await ok([NAME, 'sessions', 'export', '--format', 'tar', '--out', tgz]);
    const names = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' });
    expect(names).toContain('./manifest.json');
    expect(names).toContain('s1.jsonl');
    const later = join(w.home, 'export-later');
    await ok([NAME, 'sessions', 'export', '--out', later, '--since', '2999-01-01']);
    const m2 = JSON.parse(readFileSync(join(later, 'manifest.json'), 'utf8'));
    expect(m2.files.map((f: { kind: string }) => f.kind)).toEqual(['index']);
    expect((await w.cli([NAME, 'sessions', 'export', '--out', out])).code).toBe(2);
  }, 120_000);

  it('config export → apply plans nothing; edits converge in place; a missing secret is named first', async () => {
    const file = join(w.home, 'fleet.yaml');
    await ok(['config', 'export', NAME, '--out', file]);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(w.env.NVIDIA_API_KEY!);
    expect(text).toContain('NVIDIA_API_KEY');
    const dry = await ok(['apply', '-f', file, '--dry-run', '--json']);
    expect(JSON.parse(dry.stdout)).toEqual({ schemaVersion: 1, changes: [] });

    const doc = parse(text);
    doc.sandboxes[0].presets.push('npm');
    writeFileSync(file, stringify(doc));
    const plan = JSON.parse((await ok(['apply', '-f', file, '--dry-run', '--json'])).stdout);
    expect(plan.changes).toEqual([{ op: 'preset.add', sandbox: NAME, preset: 'npm' }]);
    await ok(['apply', '-f', file, '--yes']);
    expect(registry()[NAME].presets).toContain('npm');
    expect(
      JSON.parse((await ok(['apply', '-f', file, '--dry-run', '--json'])).stdout).changes,
    ).toEqual([]);

    // A new sandbox whose key comes from a variable that is not set: refused before anything runs.
    const two = {
      ...doc.sandboxes[0],
      name: 'op-two',
      dashboardPort: await freePort(),
      presets: [],
      customPolicies: [],
      credentials: { NVIDIA_API_KEY: 'OP_TWO_KEY' },
    };
    writeFileSync(file, stringify({ ...doc, sandboxes: [doc.sandboxes[0], two] }));
    const refused = await w.cli(['apply', '-f', file, '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('OP_TWO_KEY');
    expect(Object.keys(registry())).toEqual([NAME]);

    await ok(['apply', '-f', file, '--yes'], { OP_TWO_KEY: w.env.NVIDIA_API_KEY! });
    expect(Object.keys(registry()).sort()).toEqual([NAME, 'op-two']);
    const second = await ok(['apply', '-f', file, '--dry-run', '--json'], { OP_TWO_KEY: 'x' });
    expect(JSON.parse(second.stdout).changes).toEqual([]);

    // Dropping it from the file destroys it only with --prune.
    writeFileSync(file, stringify(doc));
    expect(
      JSON.parse((await ok(['apply', '-f', file, '--dry-run', '--json'])).stdout).changes,
    ).toEqual([]);
    const prune = JSON.parse(
      (await ok(['apply', '-f', file, '--dry-run', '--json', '--prune'])).stdout,
    );
    expect(prune.changes).toEqual([{ op: 'sandbox.destroy', sandbox: 'op-two' }]);
    // Non-interactive is not consent to delete: only --yes (or NEMOCLAW_YES=1).
    const unconsented = await w.cli(['apply', '-f', file, '--prune'], {
      env: { NEMOCLAW_NON_INTERACTIVE: '1', NEMOCLAW_YES: '' },
    });
    expect(unconsented.code).toBe(2);
    expect(unconsented.stderr).toContain('--yes');
    expect(Object.keys(registry()).sort()).toEqual([NAME, 'op-two']);
    await ok(['apply', '-f', file, '--yes', '--prune']);
    expect(Object.keys(registry())).toEqual([NAME]);

    // Observed, not only recorded: a sandbox its gateway lost is created again.
    expect((await w.sim.run(['sandbox', 'delete', NAME, '-g', 'nemoclaw'])).code).toBe(0);
    const lost = JSON.parse((await ok(['apply', '-f', file, '--dry-run', '--json'])).stdout);
    expect(lost.changes).toEqual([{ op: 'sandbox.create', sandbox: NAME, gateway: 'nemoclaw' }]);
    await ok(['apply', '-f', file, '--yes']);
    expect(
      JSON.parse((await ok(['apply', '-f', file, '--dry-run', '--json'])).stdout).changes,
    ).toEqual([]);
    expect((await ok([NAME, 'policy-list', '--json'])).stdout).toContain('"npm"');
  }, 300_000);

  it('the audit trail holds every change above, and verifies', async () => {
    const recs = JSON.parse((await ok(['audit', 'show', '--json'])).stdout).records as {
      command: string;
      result: { exitCode: number };
    }[];
    const cmds = recs.map((r) => r.command);
    expect(cmds.some((c) => c.includes('policy approve'))).toBe(true);
    expect(cmds.some((c) => c.includes('policy reject'))).toBe(true);
    expect(cmds.some((c) => c.includes('apply -f') && c.includes('--prune'))).toBe(true);
    expect(cmds.some((c) => c.includes('--dry-run'))).toBe(false);
    expect(cmds.some((c) => c.includes('policy requests'))).toBe(false);
    const log = readFileSync(join(w.env.NEMOCLAW_HOME!, 'audit', 'operator.jsonl'), 'utf8');
    expect(log).not.toContain(CANARY);
    await ok(['audit', 'verify']);
  });
});
