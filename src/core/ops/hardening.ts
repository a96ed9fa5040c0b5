/**
 * What `status` says about the agent process's privileges (issue 15): its uid, effective and
 * bounding capabilities and the limits in force, read from /proc/<pid>/status and /proc/<pid>/limits
 * in the sandbox. Pure: the probe's output in, a status part out.
 */
import type { Part } from './status.ts';

export const CAP_NAMES = [
  'chown', 'dac_override', 'dac_read_search', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid',
  'setpcap', 'linux_immutable', 'net_bind_service', 'net_broadcast', 'net_admin', 'net_raw',
  'ipc_lock', 'ipc_owner', 'sys_module', 'sys_rawio', 'sys_chroot', 'sys_ptrace', 'sys_pacct',
  'sys_admin', 'sys_boot', 'sys_nice', 'sys_resource', 'sys_time', 'sys_tty_config', 'mknod',
  'lease', 'audit_write', 'audit_control', 'setfcap', 'mac_override', 'mac_admin', 'syslog',
  'wake_alarm', 'block_suspend', 'audit_read', 'perfmon', 'bpf', 'checkpoint_restore',
]; // prettier-ignore

/** The capabilities the hardened entrypoint (blueprint nemoclaw-harden) drops. */
export const DANGEROUS_CAPS = new Set([
  'sys_admin', 'net_admin', 'sys_ptrace', 'sys_module', 'sys_rawio', 'sys_boot', 'sys_time',
  'mknod', 'audit_control', 'audit_write', 'mac_admin', 'mac_override', 'net_raw',
  'dac_read_search', 'syslog', 'linux_immutable', 'sys_pacct', 'sys_resource', 'sys_tty_config',
  'wake_alarm', 'block_suspend', 'bpf', 'perfmon', 'checkpoint_restore', 'lease', 'setfcap',
]); // prettier-ignore

export function decodeCaps(hex: string): string[] {
  let v = BigInt(`0x${hex.trim() || '0'}`);
  const out: string[] = [];
  for (let i = 0; v > 0n; i++, v >>= 1n) if (v & 1n) out.push(CAP_NAMES[i] ?? `cap_${i}`);
  return out;
}

export interface AgentPrivileges {
  pid: number;
  uid: number;
  capEff: string[];
  capBnd: string[];
  maxProcesses?: string;
  maxOpenFiles?: string;
  /**
   * Whether the agent was started through nemoclaw's entrypoint (it inherits
   * NEMOCLAW_ENTRYPOINT=nemoclaw-start); unknown when its environment cannot be read.
   */
  entrypoint?: 'yes' | 'no' | 'unknown';
}

/** The probe prints `PID <n>`, the status file, `---LIMITS`, the limits file. */
export function parsePrivilegeProbe(stdout: string): AgentPrivileges | undefined {
  const pid = /^PID (\d+)$/m.exec(stdout)?.[1];
  if (!pid) return undefined;
  const field = (k: string) => new RegExp(`^${k}:\\s*(.+)$`, 'm').exec(stdout)?.[1]?.trim();
  const limit = (k: string) => {
    const m = new RegExp(`^${k}\\s+(\\S+)\\s+(\\S+)`, 'm').exec(stdout);
    return m ? `${m[1]}/${m[2]}` : undefined;
  };
  return {
    pid: Number(pid),
    uid: Number((field('Uid') ?? '0').split(/\s+/)[1] ?? 0),
    capEff: decodeCaps(field('CapEff') ?? '0'),
    capBnd: decodeCaps(field('CapBnd') ?? '0'),
    maxProcesses: limit('Max processes'),
    maxOpenFiles: limit('Max open files'),
    entrypoint: (/^ENTRYPOINT (yes|no|unknown)$/m.exec(stdout)?.[1] ?? 'unknown') as
      'yes' | 'no' | 'unknown',
  };
}

/** A shell probe for the agent's process: the lowest-numbered process whose command line names
 * the agent's binary. The probe itself and its subshells carry that name in their command line
 * too, so they are told apart by the probe's own name, not by pid order (pids wrap around). The
 * name is matched by the shell (`case`), so no helper process carries it in its arguments. */
export function privilegeProbeArgv(agentBinary: string): string[] {
  const script =
    'for p in $(ls /proc | grep -E "^[0-9]+$" | sort -n); do [ "$p" = "$$" ] && continue; ' +
    'c=$(tr "\\000" " " 2>/dev/null < /proc/$p/cmdline) || continue; ' +
    'case "$c" in *nemoclaw-probe*) continue;; *"$1"*) ;; *) continue;; esac; ' +
    'echo "PID $p"; cat /proc/$p/status; echo ---LIMITS; cat /proc/$p/limits; ' +
    // The entrypoint's marker in the agent's environment (NUL-separated; unreadable → unknown).
    'e=$(tr "\\000" "\\n" 2>/dev/null < /proc/$p/environ) || e=UNREADABLE; ' +
    'case "$e" in UNREADABLE) echo "ENTRYPOINT unknown";; *) ' +
    'if printf "%s\\n" "$e" | grep -qx "NEMOCLAW_ENTRYPOINT=nemoclaw-start"; then echo "ENTRYPOINT yes"; ' +
    'else echo "ENTRYPOINT no"; fi;; esac; exit 0; done; exit 3';
  return ['sh', '-c', script, 'nemoclaw-probe', agentBinary];
}

export function hardeningPart(p: AgentPrivileges | undefined, why?: string): Part {
  if (!p) {
    return {
      state: 'warn',
      summary: `the agent process could not be inspected${why ? `: ${why}` : ''}`,
    };
  }
  const dangerous = p.capEff.filter((c) => DANGEROUS_CAPS.has(c));
  const bounding = p.capBnd.filter((c) => DANGEROUS_CAPS.has(c));
  const caps = p.capEff.length ? p.capEff.join(',') : 'none';
  return {
    state: dangerous.length || bounding.length || p.uid === 0 ? 'warn' : 'ok',
    summary: `agent pid ${p.pid} uid ${p.uid}; effective caps: ${caps}; limits: processes ${p.maxProcesses ?? '?'}, open files ${p.maxOpenFiles ?? '?'}`,
    pid: p.pid,
    uid: p.uid,
    capEff: p.capEff,
    dangerousEffective: dangerous,
    dangerousBounding: bounding,
    maxProcesses: p.maxProcesses ?? null,
    maxOpenFiles: p.maxOpenFiles ?? null,
    hint:
      dangerous.length || bounding.length || p.uid === 0
        ? 'The agent holds privileges the hardened entrypoint drops: use blueprint 0.2.0 or newer on an image with setpriv (NEMOCLAW_REQUIRE_CAP_DROP=1 makes it fatal).'
        : undefined,
  };
}

/**
 * Whether OpenShell runs the agent through nemoclaw's entrypoint (issue 20): a main process replaced
 * by hand (`openshell sandbox create … -- <cmd>`, a restart with another command) bypasses the
 * hardening and the state set-up the entrypoint applies.
 */
export function entrypointPart(p: AgentPrivileges | undefined, sandbox: string): Part {
  const e = p?.entrypoint ?? 'unknown';
  if (e === 'yes') return { state: 'ok', summary: "started through nemoclaw's entrypoint" };
  if (e === 'no') {
    return {
      state: 'warn',
      summary: `the agent (pid ${p!.pid}) was not started through nemoclaw's entrypoint: its hardening and state set-up are bypassed`,
      bypassed: true,
      hint: `Recreate it the way nemoclaw starts it: nemoclaw ${sandbox} rebuild`,
    };
  }
  return {
    state: 'warn',
    summary: p
      ? 'cannot tell how the agent was started (its environment is not readable here)'
      : 'cannot tell how the agent was started (no agent process found)',
    bypassed: null,
  };
}
