/**
 * Snapshot identity (product.md §10, reference §7): ids, user names, and the selectors `restore`,
 * `verify` and `delete` accept — an id, a name, `vN` (oldest first is v1, numbered on read) or
 * `latest`. Pure.
 */

export const SNAPSHOT_NAME_RE = /^[A-Za-z0-9._-]{1,63}$/;
const VERSION_RE = /^v([0-9]+)$/;
export const SNAPSHOT_ID_RE = /^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$/;

/** What selection needs to know about a snapshot. */
export interface SnapshotKey {
  id: string;
  name: string | null;
  createdAt: string;
}

/** A snapshot with its version number, oldest first. */
export type Numbered<T extends SnapshotKey> = T & { version: number };

/** `20260518T101500Z-a1b2c3`: sorts by time, and the suffix keeps two in one second apart. */
export function newSnapshotId(now: Date, random6hex: string): string {
  const iso = now.toISOString(); // 2026-05-18T10:15:00.123Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return `${stamp}-${random6hex.toLowerCase().slice(0, 6).padStart(6, '0')}`;
}

/** Why `name` cannot name a new snapshot of this sandbox, or undefined when it can. */
export function snapshotNameProblem(
  name: string,
  existing: readonly SnapshotKey[],
): string | undefined {
  if (!SNAPSHOT_NAME_RE.test(name)) {
    return 'a snapshot name is 1 to 63 characters of letters, digits, ".", "_" and "-"';
  }
  if (VERSION_RE.test(name)) return `"${name}" looks like a version selector (vN)`;
  if (name === 'latest') return '"latest" is a selector';
  if (SNAPSHOT_ID_RE.test(name)) return 'it has the form of a snapshot id';
  if (name === '.' || name === '..') return `"${name}" is not a name`;
  if (existing.some((s) => s.name === name)) return `a snapshot named "${name}" already exists`;
  return undefined;
}

/** Oldest first; ties (same second) fall back to the id, which is unique. */
export function numberSnapshots<T extends SnapshotKey>(list: readonly T[]): Numbered<T>[] {
  return [...list]
    .sort((a, b) =>
      a.createdAt === b.createdAt
        ? a.id.localeCompare(b.id)
        : Date.parse(a.createdAt) - Date.parse(b.createdAt),
    )
    .map((s, i) => ({ ...s, version: i + 1 }));
}

export type Selection<T extends SnapshotKey> =
  | { ok: true; snapshot: Numbered<T> }
  | { ok: false; kind: 'not-found' | 'invalid'; problem: string };

/**
 * Resolves a selector. An omitted selector means `latest`. Ids win over names, names over `vN`
 * (names may not look like `vN`, so only an old or hand-made manifest could make them collide).
 */
export function selectSnapshot<T extends SnapshotKey>(
  list: readonly T[],
  selector: string | undefined,
): Selection<T> {
  const numbered = numberSnapshots(list);
  const sel = (selector ?? 'latest').trim();
  if (sel === '') return { ok: false, kind: 'invalid', problem: 'the selector is empty' };
  if (numbered.length === 0)
    return { ok: false, kind: 'not-found', problem: 'there are no snapshots' };
  if (sel === 'latest') return { ok: true, snapshot: numbered.at(-1)! };
  const byId = numbered.find((s) => s.id === sel);
  if (byId) return { ok: true, snapshot: byId };
  const byName = numbered.find((s) => s.name === sel);
  if (byName) return { ok: true, snapshot: byName };
  const v = VERSION_RE.exec(sel);
  if (v) {
    const n = Number(v[1]);
    const hit = numbered.find((s) => s.version === n);
    if (hit) return { ok: true, snapshot: hit };
    return {
      ok: false,
      kind: 'not-found',
      problem: `there is no ${sel}; versions run from v1 to v${numbered.length}`,
    };
  }
  return { ok: false, kind: 'not-found', problem: `no snapshot has the id or name "${sel}"` };
}
