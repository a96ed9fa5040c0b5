import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  containerPart,
  gatewayPart,
  gpuPart,
  inferencePart,
  interpretJournal,
  phasePart,
  statusExitCode,
} from '../../../../src/core/ops/status.ts';
import { journalAt } from '../../../helpers/rebuild-journal.ts';

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
    // What `nvidia-smi -L` printed on a real H200 (test/fixtures/gpu, recorded on the device machine).
    const real = readFileSync(new URL('../../../fixtures/gpu/h200-L.txt', import.meta.url), 'utf8');
    expect(gpuPart(true, { exitCode: 0, stdout: real, stderr: '' })).toMatchObject({
      state: 'ok',
      gpus: ['GPU 0: NVIDIA H200 (UUID: GPU-7497ea13-9b3b-4254-0bef-d1959fce379c)'],
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
    const failed = { status: 'failed', error: 'upload failed' } as const;
    const j = journalAt('a', 'restore', failed, new Date('2026-11-21T00:00:00Z'));
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
