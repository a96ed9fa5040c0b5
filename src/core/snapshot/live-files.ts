/**
 * Files an agent keeps open and rewrites as soon as it runs: SQLite databases and their journals
 * (the real openclaw keeps its sessions in `agents/<id>/agent/openclaw-agent.sqlite` with WAL). A
 * rebuild restores them byte for byte, but the restarted agent changes them at once, so the
 * rebuild's verification checks that they are there, not that they are unchanged. Pure.
 */
const LIVE_DB = /\.(sqlite3?|db)(-wal|-shm|-journal)?$/;
/** SQLite's WAL, shared-memory index and rollback journal may vanish once the database is reopened. */
const TRANSIENT = /\.(sqlite3?|db)-(wal|shm|journal)$/;

export function isLiveDatabaseFile(path: string): boolean {
  return LIVE_DB.test(path);
}

export function isTransientDbFile(path: string): boolean {
  return TRANSIENT.test(path);
}
