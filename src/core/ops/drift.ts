/**
 * The agent's config inside the sandbox against the copy its image was built with (issue 20).
 * Pure: the probe's argv, and its output turned into a status part. The probe uses only `cksum`
 * (POSIX, in BusyBox and coreutils): it notices an edit, it is not a security boundary.
 */
import { BUILT_SUFFIX } from '../agent-config/generate.ts';
import type { Part } from './status.ts';

export function configDriftProbeArgv(configFile: string): string[] {
  const script =
    'c="$1"; b="$1$2"; [ -r "$b" ] || { echo "DRIFT unknown"; exit 0; }; ' +
    '[ -r "$c" ] || { echo "DRIFT missing"; exit 0; }; ' +
    'if [ "$(cksum < "$c")" = "$(cksum < "$b")" ]; then echo "DRIFT none"; else echo "DRIFT changed"; fi';
  return ['sh', '-c', script, 'nemoclaw-drift', configFile, BUILT_SUFFIX];
}

export function configDriftPart(stdout: string, sandbox: string, configFile: string): Part {
  const v = /^DRIFT (none|changed|missing|unknown)$/m.exec(stdout)?.[1] ?? 'unknown';
  switch (v) {
    case 'none':
      return { state: 'ok', summary: `${configFile} is as the image built it`, drift: false };
    case 'changed':
    case 'missing':
      return {
        state: 'warn',
        summary: `${configFile} was ${v === 'changed' ? 'edited' : 'removed'} inside the sandbox: the next rebuild undoes that`,
        drift: true,
        hint: `To make a change durable, change what nemoclaw generates it from (nemoclaw ${sandbox} inference set, channels add|remove, onboard --resume for the dashboard), then: nemoclaw ${sandbox} rebuild`,
      };
    default:
      return {
        state: 'ok',
        summary: 'not tracked: the image predates drift tracking (a rebuild adds it)',
        drift: null,
      };
  }
}
