import { describe, expect, it } from 'vitest';
import { BuildTracker } from '../../../src/core/build-stream.ts';
import { containerPart } from '../../../src/core/ops/status.ts';
import {
  isOomExit,
  landlockCheck,
  oomExplanation,
  parseKernelRelease,
  swapCheck,
} from '../../../src/core/posture.ts';

describe('Landlock: can the host enforce the filesystem rules?', () => {
  it.each([
    ['5.10.0-28-amd64', 'warn', /older than 5\.13/],
    ['4.18.0-553.el8_10.x86_64', 'warn', /older than 5\.13/],
    ['5.12.19', 'warn', /older than 5\.13/],
    ['5.13.0', 'ok', /Linux 5\.13\.0/],
    ['6.18.44-fc-v669', 'ok', /Linux 6\.18\.44/],
  ])('%s → %s', (release, status, detail) => {
    const c = landlockCheck({ kernelRelease: release });
    expect(c.id).toBe('host.landlock');
    expect(c.status).toBe(status);
    expect(c.detail).toMatch(detail);
  });

  it('says what falling back to container mounts means for the policy, and how to fix it', () => {
    const c = landlockCheck({ kernelRelease: '5.4.0-150-generic' });
    expect(c.detail).toMatch(/fall back to the container's mounts/);
    expect(c.detail).toMatch(/read_only\/read_write lists .* are not enforced/);
    expect(c.fix).toMatch(/Linux 5\.13 or newer/);
  });

  it('a new kernel without landlock in the active LSM list is a warning naming the modules', () => {
    const c = landlockCheck({
      kernelRelease: '6.1.0-18-amd64',
      lsm: 'lockdown,capability,yama,apparmor',
    });
    expect(c.status).toBe('warn');
    expect(c.detail).toContain('lockdown,capability,yama,apparmor');
    expect(c.fix).toMatch(/lsm=/);
    expect(
      landlockCheck({ kernelRelease: '6.1.0', lsm: 'lockdown,capability,landlock,yama\n' }).status,
    ).toBe('ok');
  });

  it('an unreadable kernel version is never reported as enforced', () => {
    expect(landlockCheck({}).status).toBe('warn');
    expect(landlockCheck({ kernelRelease: 'unknown' }).status).toBe('warn');
    expect(parseKernelRelease('garbage')).toBeUndefined();
    expect(parseKernelRelease('5.15.0-1051-azure')).toEqual({ major: 5, minor: 15 });
  });
});

describe('memory headroom before a build', () => {
  it('warns under 16 GiB with no swap, with the swap fix', () => {
    const c = swapCheck({ memTotalMb: 8192, swapTotalMb: 0, source: 'this host' });
    expect(c.status).toBe('warn');
    expect(c.detail).toMatch(/8192 MiB RAM and no swap/);
    expect(c.fix).toMatch(/mkswap \/swapfile && swapon \/swapfile/);
  });

  it('any swap, or 16 GiB and more, is fine; an unknown size is a warning', () => {
    expect(swapCheck({ memTotalMb: 8192, swapTotalMb: 2048, source: 'this host' }).status).toBe(
      'ok',
    );
    expect(swapCheck({ memTotalMb: 16384, swapTotalMb: 0, source: 'this host' }).status).toBe('ok');
    expect(swapCheck({ memTotalMb: 16383, source: 'Docker VM' }).status).toBe('warn');
    expect(swapCheck({ source: 'this host' }).status).toBe('warn');
  });
});

describe('exit code 137 is reported as out of memory, with the swap fix', () => {
  it('classifies', () => {
    expect(isOomExit(137)).toBe(true);
    expect(isOomExit(1, true)).toBe(true);
    expect(isOomExit(1)).toBe(false);
    expect(isOomExit(undefined)).toBe(false);
    expect(oomExplanation('X', true)).toMatch(/^X was killed with exit code 137: out of memory/);
    expect(oomExplanation('X')).toMatch(/SIGKILL, almost always out of memory/);
  });

  it('an image build step killed with 137', () => {
    const t = new BuildTracker();
    t.feed({ stream: 'Step 3/7 : RUN npm ci\n' });
    t.feed({ error: "The command '/bin/sh -c npm ci' returned a non-zero code: 137" });
    const m = t.failure('img:1', 'h').message;
    expect(m).toMatch(/killed with exit code 137: SIGKILL, almost always out of memory/);
    expect(m).toMatch(/swapon \/swapfile/);
    const other = new BuildTracker();
    other.feed({ error: "The command '/bin/sh -c make' returned a non-zero code: 2" });
    expect(other.failure('i', 'h').message).not.toMatch(/out of memory/);
  });

  it('a sandbox container killed with 137 (or flagged OOMKilled) names memory and swap', () => {
    const now = new Date('2026-11-28T12:00:00Z');
    const dead = (exitCode: number, oomKilled: boolean) =>
      containerPart(
        {
          id: 'abcdef0123456789',
          status: 'exited',
          running: false,
          exitCode,
          oomKilled,
          restartCount: 0,
        },
        'Ready',
        'my-box',
        now,
      );
    for (const p of [dead(137, false), dead(137, true), dead(1, true)]) {
      expect(p.state).toBe('fail');
      expect(p.summary).toMatch(/killed: out of memory/);
      expect(p.hint).toMatch(/swapon \/swapfile/);
      expect(p.hint).toMatch(/nemoclaw my-box recover/);
    }
    const plain = dead(1, false);
    expect(plain.summary).not.toMatch(/out of memory/);
    expect(plain.hint).toBe('Bring it back with: nemoclaw my-box recover');
  });
});
