/**
 * install.sh leaves a receipt in NEMOCLAW_HOME (`install-receipt`, `key=value` lines) so that
 * uninstall removes exactly what the installer put in place and nothing a user installed another way.
 */
export const RECEIPT_FILE = 'install-receipt';

export interface InstallReceipt {
  openshellPath?: string;
  openshellVersion?: string;
  nemoclawPrefix?: string;
  installedAt?: string;
}

const KEYS: Record<string, keyof InstallReceipt> = {
  openshell_path: 'openshellPath',
  openshell_version: 'openshellVersion',
  nemoclaw_prefix: 'nemoclawPrefix',
  installed_at: 'installedAt',
};

export function parseReceipt(text: string): InstallReceipt {
  const r: InstallReceipt = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    const k = KEYS[m[1]!];
    // Only absolute paths count: a receipt must never make uninstall remove something relative.
    if (
      k &&
      m[2]!.length > 0 &&
      (k === 'openshellPath' || k === 'nemoclawPrefix' ? m[2]!.startsWith('/') : true)
    )
      r[k] = m[2]!;
  }
  return r;
}
