/**
 * The OpenShell version gate (product.md §6, openshell-contract.md §7): the installed CLI must lie
 * in the blueprint's [min_version, max_version]. There is no CLI↔gateway negotiation, so a skew
 * shows up later as decode errors; refusing early with the versions named is the kind thing.
 */
import type { Blueprint } from '../../core/blueprint/schema.ts';
import { NemoclawError, isNemoclawError } from '../../core/errors.ts';
import { formatVersion, inRange, parseOpenshellVersion, parseVersion } from '../../core/version.ts';
import type { OpenshellClient } from './types.ts';

export function installHint(bp: Pick<Blueprint, 'openshell'>): string {
  const pinned = bp.openshell.max_version;
  return (
    `Install OpenShell ${pinned} by running the nemoclaw installer again (install.sh), or the ` +
    `release https://github.com/NVIDIA/OpenShell/releases/tag/v${pinned}; ` +
    'set NEMOCLAW_OPENSHELL_BIN if it lives outside PATH.'
  );
}

export async function checkOpenshellVersion(
  client: Pick<OpenshellClient, 'version'>,
  bp: Pick<Blueprint, 'openshell'>,
): Promise<{ version: string; raw: string }> {
  const range = `${bp.openshell.min_version}–${bp.openshell.max_version}`;
  let found: { raw: string; version: string };
  try {
    found = await client.version();
  } catch (e) {
    if (isNemoclawError(e) && e.kind === 'not-found') {
      throw new NemoclawError('not-found', `OpenShell is not installed (nemoclaw needs ${range})`, {
        hint: installHint(bp),
        cause: e,
        detail: e.detail,
      });
    }
    throw e;
  }
  const v = parseOpenshellVersion(found.raw) ?? parseVersion(found.version);
  const min = parseVersion(bp.openshell.min_version);
  const max = parseVersion(bp.openshell.max_version);
  if (!v || !min || !max) {
    throw new NemoclawError('failed', `cannot read the OpenShell version from "${found.raw}"`, {
      hint: installHint(bp),
    });
  }
  if (!inRange(v, min, max)) {
    throw new NemoclawError(
      'failed',
      `OpenShell ${formatVersion(v)} is installed, but this blueprint needs ${range}`,
      {
        hint: installHint(bp),
        detail: {
          found: formatVersion(v),
          min: bp.openshell.min_version,
          max: bp.openshell.max_version,
        },
      },
    );
  }
  return { version: formatVersion(v), raw: found.raw };
}
