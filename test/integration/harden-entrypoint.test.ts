/**
 * The hardened entrypoint of blueprint 0.2.0 (blueprints/0.2.0/nemoclaw-harden) in real containers
 * granted SYS_ADMIN, NET_ADMIN and SYS_PTRACE. Three images: busybox whose only setpriv is BusyBox's
 * applet (no --reuid, no --bounding-set), so the drop is refused; the same plus this host's
 * util-linux setpriv with its shared libraries; and the same plus this host's capsh (libcap2-bin)
 * and its libraries, with no bash: in both the drop and the step-down happen. The probe the
 * entrypoint runs prints what `status` reads (/proc/self/status, /proc/self/limits), and the
 * status parser (core/ops/hardening.ts) reads it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrivilegeProbe } from '../../src/core/ops/hardening.ts';
import {
  cleanupRun,
  docker,
  importBusyboxImage,
  RUN_ID,
  skipWithoutDocker,
  TEST_LABEL,
  uniqueName,
  type RootfsFile,
} from '../helpers/docker.ts';

const skip = await skipWithoutDocker('hardened entrypoint');
const HARDEN = readFileSync(join(import.meta.dirname, '../../blueprints/0.2.0/nemoclaw-harden'));
const CAPS = ['SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE'];
// What status reads, in the probe's format; then the limits as the shell sees them.
const PROBE = `#!/bin/sh
echo "PID $$"; cat /proc/self/status; echo ---LIMITS; cat /proc/self/limits
echo "ULIMIT_U $(ulimit -u) ULIMIT_N $(ulimit -n)"
`;

/** A tool of this host (util-linux setpriv, libcap2-bin capsh) and the shared libraries it loads (from ldd). */
function hostTool(candidates: string[], dest: string): RootfsFile[] | undefined {
  const bin = candidates.find((p) => existsSync(p));
  if (!bin) return undefined;
  let ldd: string;
  try {
    ldd = execFileSync('ldd', [bin], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
  const libs = [...ldd.matchAll(/(\/\S+)\s+\(0x/g)].map((m) => m[1]!);
  return [
    { path: dest, content: readFileSync(bin), mode: 0o755 },
    ...libs.map((l) => ({ path: l, content: readFileSync(realpathSync(l)), mode: 0o755 })),
  ];
}

async function runHarden(
  image: string,
  env: string[] = [],
): Promise<{ code: number; out: string }> {
  const d = docker();
  const c = await d.createContainer({
    Image: image,
    name: uniqueName('nc-harden'),
    Cmd: ['/usr/local/bin/nemoclaw-harden', '/usr/local/bin/probe'],
    Env: env,
    Labels: { [TEST_LABEL]: RUN_ID },
    HostConfig: { CapAdd: CAPS, NetworkMode: 'none' },
  });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    const logs = (await c.logs({ stdout: true, stderr: true })) as Buffer;
    // Strip the multiplexing headers: 8 bytes before each frame.
    let out = '';
    for (let i = 0; i + 8 <= logs.length;) {
      const n = logs.readUInt32BE(i + 4);
      out += logs.subarray(i + 8, i + 8 + n).toString('utf8');
      i += 8 + n;
    }
    return { code: StatusCode, out };
  } finally {
    await c.remove({ force: true }).catch(() => {});
  }
}

/** The limits the entrypoint sets: 512 processes, and 65536 open files when the Engine allows. */
function expectLimits(r: { out: string }): void {
  const p = parsePrivilegeProbe(r.out)!;
  expect(p.maxProcesses).toBe('512/512');
  expect(r.out).toContain('ULIMIT_U 512 ULIMIT_N ');
  // Best effort: 65536 open files unless the Engine's hard limit is lower, which it says.
  if (r.out.includes('could not set ulimit -n 65536')) {
    expect(p.maxOpenFiles).not.toBe('65536/65536');
  } else {
    expect(p.maxOpenFiles).toBe('65536/65536');
  }
}

describe.skipIf(skip)(
  'hardened entrypoint in a container granted SYS_ADMIN, NET_ADMIN, SYS_PTRACE',
  () => {
    const files: RootfsFile[] = [
      { path: '/usr/local/bin/nemoclaw-harden', content: HARDEN, mode: 0o755 },
      { path: '/usr/local/bin/probe', content: PROBE, mode: 0o755 },
    ];
    const setpriv = hostTool(['/usr/bin/setpriv', '/bin/setpriv'], '/usr/bin/setpriv');
    // capsh alone: no util-linux setpriv and no bash (capsh's `--` runs /bin/bash by default).
    const capsh = hostTool(['/usr/sbin/capsh', '/sbin/capsh'], '/usr/sbin/capsh');
    let plain: string;
    let withSetpriv: string | undefined;
    let withCapsh: string | undefined;

    beforeAll(async () => {
      plain = await importBusyboxImage(`${uniqueName('nc-harden-plain')}:1`, { extra: files });
      if (setpriv)
        withSetpriv = await importBusyboxImage(`${uniqueName('nc-harden-setpriv')}:1`, {
          extra: [...files, ...setpriv],
        });
      if (capsh)
        withCapsh = await importBusyboxImage(`${uniqueName('nc-harden-capsh')}:1`, {
          extra: [...files, ...capsh],
        });
    }, 120_000);
    afterAll(async () => {
      await cleanupRun();
    });

    it('without a usable setpriv or capsh: warns and keeps the caps; REQUIRE_CAP_DROP=1 stops', async () => {
      const r = await runHarden(plain);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('no usable setpriv (util-linux) and no capsh');
      const p = parsePrivilegeProbe(r.out)!;
      expect(p.uid).toBe(0);
      expect(p.capEff).toEqual(expect.arrayContaining(['sys_admin', 'net_admin', 'sys_ptrace']));

      const strict = await runHarden(plain, ['NEMOCLAW_REQUIRE_CAP_DROP=1']);
      expect(strict.code).toBe(78);
      expect(strict.out).toContain('FATAL');
      expect(strict.out).toContain('NEMOCLAW_REQUIRE_CAP_DROP=1');
      expect(strict.out).not.toContain('PID ');
    }, 60_000);

    it.skipIf(!setpriv)(
      'with util-linux setpriv: the agent runs as the sandbox user without the dangerous caps, limits applied',
      async () => {
        const r = await runHarden(withSetpriv!, ['NEMOCLAW_REQUIRE_CAP_DROP=1']);
        expect(r.code, r.out).toBe(0);
        const p = parsePrivilegeProbe(r.out)!;
        expect(p.uid).toBe(1000);
        expect(p.capEff).toEqual([]);
        for (const c of ['sys_admin', 'net_admin', 'sys_ptrace']) expect(p.capBnd).not.toContain(c);
        expectLimits(r);
      },
      60_000,
    );

    it.skipIf(!capsh)(
      'with capsh and no setpriv: the agent runs as the sandbox user without the dangerous caps, limits applied',
      async () => {
        const r = await runHarden(withCapsh!, ['NEMOCLAW_REQUIRE_CAP_DROP=1']);
        expect(r.code, r.out).toBe(0);
        expect(r.out).not.toContain('FATAL');
        // The image's only setpriv is BusyBox's applet: the capsh path is the one that dropped.
        expect(r.out).toContain('trying capsh');
        const p = parsePrivilegeProbe(r.out)!;
        expect(p.uid).toBe(1000);
        expect(p.capEff).toEqual([]);
        for (const c of ['sys_admin', 'net_admin', 'sys_ptrace']) {
          expect(p.capEff).not.toContain(c);
          expect(p.capBnd).not.toContain(c);
        }
        expectLimits(r);
      },
      60_000,
    );
  },
);
