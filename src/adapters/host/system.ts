/** Facts about this machine for the debug bundle. No hostname or user name: neither helps a report. */
import { arch, cpus, platform, release, totalmem, uptime, freemem } from 'node:os';
import { readFile } from 'node:fs/promises';

export async function systemFacts(): Promise<Record<string, unknown>> {
  const osRelease = await readFile('/etc/os-release', 'utf8').catch(() => '');
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease)?.[1];
  return {
    platform: platform(),
    release: release(),
    distribution: pretty,
    arch: arch(),
    cpus: cpus().length,
    memTotalMb: Math.round(totalmem() / 1048576),
    memFreeMb: Math.round(freemem() / 1048576),
    uptimeSeconds: Math.round(uptime()),
    node: process.version,
    inContainer: await readFile('/.dockerenv').then(
      () => true,
      () => false,
    ),
  };
}
