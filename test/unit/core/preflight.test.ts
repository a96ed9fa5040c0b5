import { describe, expect, it } from 'vitest';
import { NemoclawError } from '../../../src/core/errors.ts';
import * as c from '../../../src/core/preflight.ts';

describe('preflight evaluators', () => {
  it('engine version: API too old fails, below the blueprint minimum warns', () => {
    expect(c.engineVersion('19.03.15', '1.40', '24.0.0').status).toBe('fail');
    expect(c.engineVersion('20.10.24+dfsg1', '1.41', '24.0.0')).toMatchObject({ status: 'warn' });
    expect(c.engineVersion('27.3.1', '1.47', '24.0.0')).toMatchObject({
      status: 'ok',
      detail: 'Engine 27.3.1 (API 1.47)',
    });
    expect(c.engineVersion('28.0', '1.48', '24.0.0').status).toBe('ok');
  });

  it('cgroup', () => {
    expect(c.cgroupVersion('2').status).toBe('ok');
    expect(c.cgroupVersion('1').status).toBe('warn');
    expect(c.cgroupVersion(undefined).status).toBe('warn');
  });

  it('memory counts swap, warns below the minimum, fails below half, and explains 137', () => {
    expect(
      c.memory({ memTotalMb: 8000, swapTotalMb: 4096, source: 'this host' }, 8192).status,
    ).toBe('ok');
    const w = c.memory({ memTotalMb: 6000, swapTotalMb: 0, source: 'this host' }, 8192);
    expect(w.status).toBe('warn');
    expect(w.fix).toMatch(/137.*OOM killer/);
    const f = c.memory({ memTotalMb: 2048, source: 'Docker VM' }, 8192);
    expect(f.status).toBe('fail');
    expect(f.fix).toMatch(/Docker VM \(Colima, Docker Desktop\)/);
  });

  it('disk', () => {
    expect(c.disk({ freeMb: 30000, path: '/var/lib/docker' }, 20480).status).toBe('ok');
    expect(c.disk({ freeMb: 10000, path: '/var/lib/docker' }, 20480).status).toBe('warn');
    expect(c.disk({ freeMb: 1000, path: '/var/lib/docker' }, 20480)).toMatchObject({
      status: 'fail',
    });
    expect(c.disk({ path: '/x' }, 1).status).toBe('warn');
  });

  it('ports: free, ours, a container, a process, unknown, a stale forward', () => {
    const base = { port: 8080, role: 'gateway', envVar: 'NEMOCLAW_GATEWAY_PORT' };
    expect(c.port({ ...base, free: true }).status).toBe('ok');
    expect(
      c.port({
        ...base,
        free: false,
        container: { name: 'nemoclaw-openshell-gateway', ours: true },
      }).status,
    ).toBe('ok');
    expect(c.port({ ...base, free: false, container: { name: 'web', ours: false } })).toMatchObject(
      {
        status: 'fail',
        detail: 'in use by container web',
        fix: 'Free it (docker stop web) or choose another port with NEMOCLAW_GATEWAY_PORT=<port>.',
      },
    );
    expect(
      c.port({ ...base, free: false, holder: { pid: 42, command: 'python3 -m http.server 8080' } })
        .detail,
    ).toBe('in use by process 42 (python3 -m http.server 8080)');
    expect(c.port({ ...base, free: false }).detail).toMatch(/does not show which/);
    const fwd = c.port({
      port: 18789,
      role: 'dashboard',
      envVar: 'NEMOCLAW_DASHBOARD_PORT',
      free: false,
      holder: { pid: 7, command: 'openshell forward start 18789 my-sb' },
    });
    expect(fwd.status).toBe('warn');
    expect(fwd.fix).toContain('openshell forward stop 18789');
  });

  it('openshell version', () => {
    const range = { min: '0.0.111', max: '0.0.111' };
    expect(
      c.openshellVersion({ ok: true, raw: 'openshell 0.0.111', version: '0.0.111' }, range).status,
    ).toBe('ok');
    expect(
      c.openshellVersion({ ok: true, raw: 'openshell 0.1.0', version: '0.1.0' }, range).status,
    ).toBe('fail');
    expect(c.openshellVersion({ ok: true, raw: '??', version: '??' }, range).detail).toMatch(
      /cannot read/,
    );
    expect(
      c.openshellVersion({ ok: false, error: { message: 'x', kind: 'not-found' } }, range).detail,
    ).toBe('the openshell binary was not found');
  });

  it('gpu', () => {
    expect(
      c.gpu({
        ok: true,
        decision: { enabled: false, reason: 'no NVIDIA GPU found' },
        toolkitVia: [],
      }).status,
    ).toBe('ok');
    expect(
      c.gpu({
        ok: true,
        decision: {
          enabled: false,
          reason: '1 NVIDIA GPU(s) found, but the NVIDIA Container Toolkit is not set up',
        },
        toolkitVia: [],
      }).status,
    ).toBe('warn');
    // The warning's fix is the install steps themselves: doctor shows it, so it cannot say "see doctor".
    const toolkitFix = c.gpu({
      ok: true,
      decision: {
        enabled: false,
        reason: '1 NVIDIA GPU(s) found, but the NVIDIA Container Toolkit is not set up',
      },
      toolkitVia: [],
    }).fix;
    expect(toolkitFix).toContain('nvidia-ctk cdi generate');
    expect(toolkitFix).not.toMatch(/nemoclaw doctor/);
    expect(
      c.gpu({ ok: false, error: new NemoclawError('failed', 'nope', { hint: 'h' }) }),
    ).toMatchObject({ status: 'fail', fix: 'h' });
  });

  it('only failures block, and the error lists each with its fix', () => {
    const rs: c.CheckResult[] = [
      { id: 'a', title: 'A', status: 'ok', detail: 'fine' },
      { id: 'b', title: 'B', status: 'warn', detail: 'meh' },
    ];
    expect(c.preflightError(rs)).toBeUndefined();
    rs.push({ id: 'c', title: 'C', status: 'fail', detail: 'broken', fix: 'do x' });
    const e = c.preflightError(rs)!;
    expect(e.exitCode).toBe(1);
    expect(e.message).toContain('✗ C: broken\n    fix: do x');
    expect(e.message).not.toContain('meh');
  });

  it('a crashed check becomes a failure with its message', () => {
    expect(c.checkCrashed('x', 'X', new Error('boom'))).toMatchObject({
      status: 'fail',
      detail: 'boom',
    });
  });
});
