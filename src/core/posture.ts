/**
 * Host posture (issue 20): can this host enforce what the sandbox policy says, and will it survive
 * an image build? Pure: the use cases read the kernel release, the LSM list and /proc/meminfo and
 * hand them here, so doctor, preflight and status say the same thing in the same words.
 */
import type { CheckResult } from './preflight.ts';

/** Landlock ABI v1 landed in Linux 5.13. */
export const LANDLOCK_MIN_KERNEL = { major: 5, minor: 13 } as const;
/** Below this much RAM an image build without swap is at the mercy of the OOM killer. */
export const COMFORTABLE_MEMORY_MB = 16 * 1024;

/** `6.18.44-fc-v669` → {6, 18}; undefined when the string does not start with a version. */
export function parseKernelRelease(release: string): { major: number; minor: number } | undefined {
  const m = /^\s*(\d+)\.(\d+)/.exec(release);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

export interface LandlockFacts {
  /** The kernel of the machine that runs the containers (the Engine's `KernelVersion`). */
  kernelRelease?: string;
  /** `/sys/kernel/security/lsm` of that machine, when it is this host and readable. */
  lsm?: string;
}

const LANDLOCK_TITLE = 'Landlock (filesystem rules)';
const FALLBACK =
  "OpenShell applies the policy's filesystem rules with Landlock in best_effort mode; without it they fall back to the container's mounts: system paths stay read-only, but the per-path read_only/read_write lists inside the sandbox are not enforced, and a process may write wherever its user can.";

/**
 * Landlock needs Linux ≥ 5.13 and the LSM enabled at boot. Unknown is a warning, never a pass:
 * status must not claim an enforcement it could not observe.
 */
export function landlockCheck(f: LandlockFacts): CheckResult {
  const id = 'host.landlock';
  const v = f.kernelRelease ? parseKernelRelease(f.kernelRelease) : undefined;
  if (!v) {
    return {
      id,
      title: LANDLOCK_TITLE,
      status: 'warn',
      detail: `cannot read the kernel version${f.kernelRelease ? ` from "${f.kernelRelease}"` : ''}; Landlock support is unknown. ${FALLBACK}`,
    };
  }
  const release = f.kernelRelease!.trim();
  const tooOld =
    v.major < LANDLOCK_MIN_KERNEL.major ||
    (v.major === LANDLOCK_MIN_KERNEL.major && v.minor < LANDLOCK_MIN_KERNEL.minor);
  if (tooOld) {
    return {
      id,
      title: LANDLOCK_TITLE,
      status: 'warn',
      detail: `Linux ${release} is older than 5.13, which Landlock needs. ${FALLBACK}`,
      fix: 'Run sandboxes on a host with Linux 5.13 or newer (for example Ubuntu 22.04, Debian 12) to enforce the filesystem rules.',
    };
  }
  if (
    f.lsm !== undefined &&
    !f.lsm
      .split(',')
      .map((s) => s.trim())
      .includes('landlock')
  ) {
    return {
      id,
      title: LANDLOCK_TITLE,
      status: 'warn',
      detail: `Linux ${release} supports Landlock, but it is not among the active security modules (${f.lsm.trim() || 'none'}). ${FALLBACK}`,
      fix: "Add landlock to the kernel command line's lsm= list (for example lsm=landlock,lockdown,yama,apparmor,bpf) and reboot.",
    };
  }
  return {
    id,
    title: LANDLOCK_TITLE,
    status: 'ok',
    detail: `Linux ${release}${f.lsm !== undefined ? ', landlock active' : ' (≥ 5.13; the active module list is not readable here)'}`,
  };
}

export const SWAP_FIX =
  'Add swap, for example: fallocate -l 8G /swapfile && chmod 600 /swapfile && mkswap /swapfile && swapon /swapfile (and an /etc/fstab line to keep it), or give Docker more memory.';

/** Under 16 GiB of RAM with no swap at all, a large image build is the usual OOM victim. */
export function swapCheck(f: {
  memTotalMb?: number;
  swapTotalMb?: number;
  source: string;
}): CheckResult {
  const id = 'host.swap';
  const title = 'Memory headroom for builds';
  if (f.memTotalMb === undefined)
    return { id, title, status: 'warn', detail: `cannot read the memory of ${f.source}` };
  const swap = f.swapTotalMb ?? 0;
  if (f.memTotalMb < COMFORTABLE_MEMORY_MB && swap === 0) {
    return {
      id,
      title,
      status: 'warn',
      detail: `${f.memTotalMb} MiB RAM and no swap (${f.source}): an image build or a busy agent can be killed by the kernel's OOM killer (exit code 137).`,
      fix: SWAP_FIX,
    };
  }
  return {
    id,
    title,
    status: 'ok',
    detail: `${f.memTotalMb} MiB RAM, ${swap} MiB swap (${f.source})`,
  };
}

/**
 * The one sentence every place that sees exit code 137 prints: what it means and the fix. The
 * Engine's OOMKilled flag is certain; a bare 137 is a SIGKILL, which on a host without headroom is
 * the OOM killer far more often than a person.
 */
export function oomExplanation(what: string, oomKilled = false): string {
  const why = oomKilled
    ? "out of memory (the kernel's OOM killer)"
    : "SIGKILL, almost always out of memory (the kernel's OOM killer) unless someone killed it by hand";
  return `${what} was killed with exit code 137: ${why}. ${SWAP_FIX}`;
}

/** True when an exit code or an OOM flag says the kernel killed it for memory. */
export function isOomExit(code: number | undefined | null, oomKilled?: boolean): boolean {
  return oomKilled === true || code === 137;
}
