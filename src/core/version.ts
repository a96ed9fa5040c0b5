/** Version parsing and range checks. Pure. */

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
}

const OPENSHELL_VERSION_RE = /openshell\s+([0-9]+)\.([0-9]+)\.([0-9]+)/;
const PLAIN_VERSION_RE = /^v?([0-9]+)\.([0-9]+)\.([0-9]+)/;

/** Parses the output of `openshell --version` (`openshell X.Y.Z`, dev builds add a suffix). */
export function parseOpenshellVersion(output: string): SemVer | undefined {
  const m = OPENSHELL_VERSION_RE.exec(output);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

export function parseVersion(text: string): SemVer | undefined {
  const m = PLAIN_VERSION_RE.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

export function compareVersions(a: SemVer, b: SemVer): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function formatVersion(v: SemVer): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

export function inRange(v: SemVer, min: SemVer, max: SemVer): boolean {
  return compareVersions(v, min) >= 0 && compareVersions(v, max) <= 0;
}
