import { describe, expect, it } from 'vitest';
import { stateChecks, type DoctorObservation } from '../../../src/core/doctor.ts';

describe('doctor state checks', () => {
  const good: DoctorObservation = {
    registry: {
      ok: true,
      path: '/h/sandboxes.json',
      sandboxes: [{ name: 'alpha', dashboardPort: 18789, remote: false }],
    },
    openshell: { ok: true, sandboxes: [{ name: 'alpha', phase: 'Ready' }] },
    gateway: {
      mode: 'local',
      containerName: 'gw',
      container: { running: true, status: 'running' },
      engineAnswered: true,
      status: { connected: true, detail: 'connected' },
    },
    sandboxContainers: [{ name: 'c-alpha', sandbox: 'alpha', state: 'running' }],
    forwards: [{ sandbox: 'alpha', port: 18789, status: 'running' }],
    journals: [],
    blueprints: [
      {
        version: '0.1.0',
        ok: true,
        expected: 'sha256:a',
        actual: 'sha256:aaaaaaaaaaaaaaaaaaaaaaaa',
      },
    ],
  };

  it('a consistent host has no warnings', () => {
    expect(stateChecks(good).filter((c) => c.status !== 'ok')).toEqual([]);
  });

  it('every inconsistency comes with the command that fixes it', () => {
    const bad = stateChecks({
      ...good,
      registry: {
        ok: true,
        path: '/h/sandboxes.json',
        sandboxes: [
          ...(good.registry.ok ? good.registry.sandboxes : []),
          { name: 'gone', dashboardPort: 18790, remote: false },
        ],
      },
      openshell: {
        ok: true,
        sandboxes: [
          { name: 'alpha', phase: 'Ready' },
          { name: 'stray', phase: 'Ready' },
        ],
      },
      gateway: { ...good.gateway, container: { running: false, status: 'exited' } },
      sandboxContainers: [
        { name: 'c-alpha', sandbox: 'alpha', state: 'exited' },
        { name: 'c-old', sandbox: 'old', state: 'exited' },
      ],
      forwards: [
        { sandbox: 'alpha', port: 18789, status: 'running' },
        { sandbox: 'old', port: 18800, status: 'dead' },
      ],
      journals: [{ sandbox: 'alpha', step: 'restore' }],
      onboardSession: { sandbox: 'beta', step: 'sandbox' },
      blueprints: [
        {
          version: '0.1.0',
          ok: false,
          expected: 'sha256:a',
          actual: 'sha256:b',
          firstDifference: 'Dockerfile (changed)',
        },
      ],
    });
    const byId = Object.fromEntries(bad.map((c) => [c.id, c]));
    expect(byId['gateway']).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('docker start gw'),
    });
    expect(byId['state.missing.gone']).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('nemoclaw gone recover'),
    });
    expect(byId['state.orphan.stray']).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('openshell sandbox delete -g nemoclaw stray'),
    });
    expect(byId['state.container.c-old']).toMatchObject({
      status: 'warn',
      fix: 'docker rm -f c-old',
    });
    expect(byId['state.container.c-alpha']).toMatchObject({ fix: 'nemoclaw alpha recover' });
    expect(byId['state.forward.18800']).toMatchObject({
      fix: expect.stringContaining('openshell forward stop -g nemoclaw 18800 old'),
    });
    expect(byId['state.forward.gone']).toMatchObject({ status: 'warn' });
    expect(byId['state.rebuild.alpha']).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('restore'),
      fix: 'nemoclaw alpha rebuild --resume',
    });
    expect(byId['state.onboard']).toMatchObject({ fix: expect.stringContaining('--resume') });
    expect(byId['blueprint.0.1.0']).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('Dockerfile (changed)'),
    });
    for (const c of bad.filter((x) => x.status !== 'ok')) expect(c.fix, c.id).toBeTruthy();
  });

  it('a corrupt registry is reported with its path and never reset', () => {
    const r = stateChecks({
      ...good,
      registry: { ok: false, path: '/h/sandboxes.json', error: 'bad json' },
    });
    expect(r[0]).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('/h/sandboxes.json'),
      fix: expect.stringContaining('never resets'),
    });
  });
});
