import { newJournal } from '../../src/core/rebuild/journal.ts';
import { describe, expect, it } from 'vitest';
import { channelState, findChannel, tokenProblem } from '../../src/core/ops/channels.ts';
import { planDestroy } from '../../src/core/ops/destroy-plan.ts';
import { isRemoteEntry, localGatewayPort } from '../../src/core/ops/gateway-of.ts';
import { frontMatter, skillName, treeProblems } from '../../src/core/ops/skill.ts';
import {
  containerPart,
  gatewayPart,
  gpuPart,
  inferencePart,
  interpretJournal,
  phasePart,
  statusExitCode,
} from '../../src/core/ops/status.ts';
import { formatPlan } from '../../src/core/plan.ts';
import type { SandboxEntry } from '../../src/core/registry/schema.ts';

const now = new Date('2026-03-01T12:00:00Z');
const running = {
  id: 'abcdef0123456789',
  status: 'running',
  running: true,
  exitCode: 0,
  oomKilled: false,
  startedAt: '2026-03-01T11:00:00Z',
  restartCount: 0,
};

describe('status parts', () => {
  it('the gateway is up only when OpenShell says Connected', () => {
    expect(gatewayPart('nemoclaw', { status: 'connected', version: '0.0.111' }).state).toBe('ok');
    expect(gatewayPart('nemoclaw', { status: 'connected_http' }).state).toBe('ok');
    for (const s of ['disconnected', 'error', 'not_configured']) {
      expect(gatewayPart('nemoclaw', { status: s }).state).toBe('unreachable');
    }
  });

  it.each([
    ['Ready', 'ok'],
    ['Provisioning', 'warn'],
    ['Stopped', 'warn'],
    ['Error', 'fail'],
    ['Unknown', 'fail'],
    [undefined, 'fail'],
  ])('phase %s is %s', (phase, state) => {
    expect(phasePart(phase, 'x').state).toBe(state);
  });

  it('a Ready phase with a dead container is a failure, never healthy', () => {
    const p = containerPart(
      { ...running, running: false, status: 'exited', exitCode: 137 },
      'Ready',
      'x',
      now,
    );
    expect(p.state).toBe('fail');
    expect(p.summary).toContain('137');
    expect(p.summary).toContain('still reports Ready');
  });

  it('uptime, restarts, OOM and stats', () => {
    const ok = containerPart(running, 'Ready', 'x', now, {
      cpuPercent: 1.25,
      memoryBytes: 3 * 1024 * 1024,
      memoryLimitBytes: 1024 ** 3,
    });
    expect(ok).toMatchObject({ state: 'ok', uptimeSeconds: 3600, restarts: 0 });
    expect(ok.summary).toBe('running for 1h 0m, 0 restarts, CPU 1.3%, memory 3.0 MiB / 1.0 GiB');
    expect(containerPart({ ...running, restartCount: 2 }, 'Ready', 'x', now).state).toBe('warn');
    expect(containerPart({ ...running, oomKilled: true }, 'Ready', 'x', now).state).toBe('warn');
    expect(containerPart(undefined, 'Ready', 'x', now).state).toBe('fail');
  });

  it('GPU: verified, failed, unverified, not requested', () => {
    expect(gpuPart(false, undefined).result).toBe('not-requested');
    const v = gpuPart(true, {
      exitCode: 0,
      stdout: 'GPU 0: NVIDIA A100 (UUID: GPU-1)\n',
      stderr: '',
    });
    expect(v).toMatchObject({ state: 'ok', result: 'verified' });
    expect(gpuPart(true, { exitCode: 0, stdout: '', stderr: '' }).result).toBe('failed');
    expect(
      gpuPart(true, { exitCode: 127, stdout: '', stderr: 'sh: nvidia-smi: not found' }),
    ).toMatchObject({
      state: 'fail',
      result: 'failed',
    });
    expect(gpuPart(true, { error: new Error('not ready') })).toMatchObject({
      state: 'warn',
      result: 'unverified',
    });
  });

  it('inference: matches, changed by another onboarding, not configured', () => {
    const want = { provider: 'nvidia-prod', model: 'm' };
    expect(inferencePart(want, want).state).toBe('ok');
    const changed = inferencePart({ provider: 'openai-api', model: 'gpt' }, want);
    expect(changed.state).toBe('warn');
    expect(changed.summary).toContain(
      'route now serves gpt via openai-api (changed by another onboarding)',
    );
    expect(inferencePart(undefined, want).state).toBe('fail');
  });

  it('exit code: non-zero when any part failed or was not observable', () => {
    expect(
      statusExitCode([
        { state: 'ok', summary: '' },
        { state: 'warn', summary: '' },
      ]),
    ).toBe(0);
    expect(statusExitCode([{ state: 'unreachable', summary: '' }])).toBe(1);
    expect(statusExitCode([{ state: 'fail', summary: '' }])).toBe(1);
  });

  it('reads rebuild journals: interrupted at the first unfinished step, unless completed', () => {
    const j = newJournal('a', new Date('2026-11-21T00:00:00Z'));
    for (const id of [
      'snapshot',
      'verify-snapshot',
      'delete',
      'image',
      'create',
      'ready',
    ] as const) {
      j.steps[id] = { status: 'complete' };
    }
    j.steps.restore = { status: 'failed', error: 'upload failed' };
    j.failure = { step: 'restore', message: 'upload failed' };
    expect(interpretJournal(j)).toEqual({
      interrupted: true,
      step: 'restore (Restoring the agent state)',
      failure: 'upload failed',
    });
    expect(interpretJournal({ ...j, completedAt: '2026-11-21T01:00:00Z' }).interrupted).toBe(false);
    // Unreadable journals are reported as interrupted rather than ignored.
    expect(interpretJournal('garbage')).toEqual({ interrupted: true });
  });
});

const entry = (o: Partial<SandboxEntry> = {}): SandboxEntry => ({
  name: 'a',
  agent: 'openclaw',
  provider: 'build',
  model: 'm',
  blueprintVersion: '0.1.0',
  blueprintDigest: `sha256:${'0'.repeat(64)}`,
  image: 'nemoclaw-sandbox:abc',
  policyTier: 'balanced',
  presets: [],
  customPolicies: [],
  gpu: { enabled: false },
  dashboardPort: 18789,
  gatewayName: 'nemoclaw',
  channels: [],
  createdAt: '',
  updatedAt: '',
  ...o,
});

const hintOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as { hint?: string }).hint ?? '';
  }
  return 'did not throw';
};

describe('destroy plan', () => {
  const base = {
    entry: entry(),
    gatewayUp: true,
    sandboxExists: true,
    imageSharedWith: [],
    force: false,
  };

  it('normal: forward, sandbox, image, registry; never the gateway', () => {
    expect(formatPlan(planDestroy(base))).toMatchInlineSnapshot(`
      "Plan: destroy a
        1. openshell.forward.stop a:18789
           why: the dashboard forward points at this sandbox
           best effort: a forward is a local process; the sandbox goes either way
        2. openshell.sandbox.delete a
           why: the sandbox itself
        3. docker.image.remove nemoclaw-sandbox:abc
           why: no other registered sandbox uses this image (kept if a container still does)
           best effort: the image is only disk space; \`nemoclaw gc\` can remove it later
        4. registry.entry.remove a
           why: forget the sandbox; snapshots are kept"
    `);
  });

  it('keeps an image another sandbox uses', () => {
    const p = planDestroy({ ...base, imageSharedWith: ['b'] });
    expect(p.steps.map((s) => s.kind)).not.toContain('docker.image.remove');
  });

  it('refuses with the gateway down unless forced; forced removes the container by label', () => {
    expect(
      hintOf(() => planDestroy({ ...base, gatewayUp: false, sandboxExists: undefined })),
    ).toContain('--force');
    const p = planDestroy({ ...base, gatewayUp: false, sandboxExists: undefined, force: true });
    expect(p.steps.map((s) => s.kind)).toEqual([
      'openshell.forward.stop',
      'docker.container.remove',
      'docker.image.remove',
      'registry.entry.remove',
    ]);
  });

  it('a sandbox OpenShell lost needs --force to drop the entry', () => {
    expect(hintOf(() => planDestroy({ ...base, sandboxExists: false }))).toContain(
      'destroy --force',
    );
    const kinds = planDestroy({ ...base, sandboxExists: false, force: true }).steps.map(
      (s) => s.kind,
    );
    expect(kinds).not.toContain('openshell.sandbox.delete');
    expect(kinds).toContain('registry.entry.remove');
  });
});

describe('gateway of an entry', () => {
  it('local unless the URL is not loopback', () => {
    expect(isRemoteEntry({})).toBe(false);
    expect(isRemoteEntry({ gatewayUrl: 'http://127.0.0.1:8080' })).toBe(false);
    expect(isRemoteEntry({ gatewayUrl: 'https://openshell.example.com' })).toBe(true);
  });
  it('port from the URL, else env, else 8080', () => {
    expect(localGatewayPort({ gatewayUrl: 'http://127.0.0.1:9123' }, {})).toBe(9123);
    expect(localGatewayPort({}, { NEMOCLAW_GATEWAY_PORT: '9000' })).toBe(9000);
    expect(localGatewayPort({}, {})).toBe(8080);
  });
});

describe('channels', () => {
  it('knows three channels; slack needs two tokens', () => {
    expect(findChannel('Telegram')?.provider).toBe('telegram-bot');
    expect(findChannel('slack')?.credentials.map((c) => c.env)).toEqual([
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
    ]);
    expect(findChannel('irc')).toBeUndefined();
  });
  it('state: running with its preset, stopped without, else not configured', () => {
    const tg = findChannel('telegram')!;
    expect(channelState(tg, { channels: ['telegram'], presets: ['telegram'] })).toBe('running');
    expect(channelState(tg, { channels: ['telegram'], presets: [] })).toBe('stopped');
    expect(channelState(tg, { channels: [], presets: ['telegram'] })).toBe('not-configured');
  });
  it('refuses tokens a paste broke', () => {
    expect(tokenProblem('abc def')).toBe('contains whitespace');
    expect(tokenProblem('')).toBe('is empty');
    expect(tokenProblem('123:abc')).toBeUndefined();
  });
});

describe('skill validation', () => {
  const f = (
    rel: string,
    kind: 'file' | 'dir' | 'symlink' | 'other' = 'file',
    size = 10,
    nlink = 1,
  ) => ({
    rel,
    kind,
    size,
    nlink,
  });
  it('accepts files and folders; refuses links, hard links, devices, escapes and size', () => {
    expect(treeProblems([f('SKILL.md'), f('lib', 'dir'), f('lib/a.js')])).toEqual([]);
    expect(treeProblems([f('x', 'symlink')])[0]).toContain('symbolic link');
    expect(treeProblems([f('x', 'file', 1, 2)])[0]).toContain('hard link');
    expect(treeProblems([f('x', 'other')])[0]).toContain('device');
    expect(treeProblems([f('../x')])[0]).toContain('escapes');
    expect(treeProblems([f('big', 'file', 11 * 1024 * 1024)])[0]).toContain('limit');
  });
  it('front matter and name', () => {
    expect(frontMatter('---\nname: a\n---\nbody')).toBe('name: a');
    expect(frontMatter('# no front matter')).toBeUndefined();
    expect(skillName({ name: 'weather' })).toEqual({ name: 'weather' });
    expect(skillName({ description: 'x' })).toEqual({ problem: 'the front matter has no `name`' });
    expect('problem' in skillName({ name: '../evil' })).toBe(true);
    expect('problem' in skillName(['a'])).toBe(true);
  });
});
