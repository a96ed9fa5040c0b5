import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  entrypointPart,
  parsePrivilegeProbe,
  privilegeProbeArgv,
  decodeCaps,
  hardeningPart,
} from '../../../../src/core/ops/hardening.ts';
const run = (argv: string[]) => execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });

describe("entrypoint: was the agent started through nemoclaw's entrypoint?", () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGKILL')));
  const agent = (marker: string, env: Record<string, string>) => {
    // A stand-in agent process whose command line carries a unique name, as the real probe looks.
    const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)', marker], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: 'ignore',
    });
    children.push(c);
    return c;
  };

  it('reads the marker from the real agent process’s environment', async () => {
    const tag = `nc-agent-${process.pid}-${Date.now()}`;
    const started = agent(`${tag}-ok`, { NEMOCLAW_ENTRYPOINT: 'nemoclaw-start' });
    const bypassed = agent(`${tag}-by`, {});
    // Wait until both have exec'd (their command lines carry the markers), not for a fixed time.
    for (const [c, m] of [
      [started, `${tag}-ok`],
      [bypassed, `${tag}-by`],
    ] as const) {
      for (let i = 0; i < 200; i++) {
        const line = (() => {
          try {
            return readFileSync(`/proc/${c.pid}/cmdline`, 'utf8');
          } catch {
            return '';
          }
        })();
        if (line.includes(m)) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    const look = (t: string) => parsePrivilegeProbe(run(privilegeProbeArgv(t)));
    const ok = look(`${tag}-ok`)!;
    expect(ok.pid).toBe(started.pid);
    expect(ok.entrypoint).toBe('yes');
    expect(entrypointPart(ok, 'box')).toMatchObject({ state: 'ok' });
    const by = look(`${tag}-by`)!;
    expect(by.pid).toBe(bypassed.pid);
    expect(by.entrypoint).toBe('no');
    const part = entrypointPart(by, 'box');
    expect(part).toMatchObject({ state: 'warn', bypassed: true });
    expect(part.hint).toBe('Recreate it the way nemoclaw starts it: nemoclaw box rebuild');
  });

  it('an unreadable environment or no agent is unknown, never ok', () => {
    expect(entrypointPart(undefined, 'box')).toMatchObject({ state: 'warn', bypassed: null });
    const p = parsePrivilegeProbe('PID 7\nUid:\t1000\t1000\t1000\t1000\nENTRYPOINT unknown\n');
    expect(entrypointPart(p, 'box')).toMatchObject({ state: 'warn', bypassed: null });
    expect(parsePrivilegeProbe('PID 7\nUid:\t0\t0\t0\t0\n')!.entrypoint).toBe('unknown');
  });
});

describe('agent privileges', () => {
  const probe = (uid: number, eff: string, bnd: string) =>
    `PID 7\nName:\tsh\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\nCapEff:\t${eff}\nCapBnd:\t${bnd}\n---LIMITS\nLimit                     Soft Limit           Hard Limit           Units\nMax processes             512                  512                  processes\nMax open files            65536                65536                files\n`;
  it('decodes capability masks', () => {
    expect(decodeCaps('0000000000280000')).toEqual(['sys_ptrace', 'sys_admin']);
    expect(decodeCaps('0')).toEqual([]);
  });
  it('a dropped, unprivileged agent is ok; root with sys_admin is a warning that says so', () => {
    const ok = hardeningPart(
      parsePrivilegeProbe(probe(1000, '0000000000000000', '00000000000004c1')),
    );
    expect(ok).toMatchObject({
      state: 'ok',
      uid: 1000,
      maxProcesses: '512/512',
      maxOpenFiles: '65536/65536',
    });
    const bad = hardeningPart(
      parsePrivilegeProbe(probe(0, '0000000000201000', '0000000000201000')),
    );
    expect(bad).toMatchObject({ state: 'warn', dangerousEffective: ['net_admin', 'sys_admin'] });
    expect(hardeningPart(parsePrivilegeProbe('nothing'), 'no agent').state).toBe('warn');
  });
});
