/**
 * Redaction of the host-side copy of a SQLite database (Hermes' runtime state): every text value
 * of every table goes through the redaction function, in one transaction. Uses Node's built-in
 * `node:sqlite`; the sandbox's original is never touched.
 */
export async function redactSqliteCopy(
  path: string,
  redact: (s: string) => string,
): Promise<number> {
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(path);
  let changed = 0;
  try {
    // One file on the host: no -wal beside the copy.
    db.exec('PRAGMA journal_mode = DELETE');
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[];
    db.exec('BEGIN');
    for (const { name } of tables) {
      const q = `"${name.replace(/"/g, '""')}"`;
      const cols = (db.prepare(`PRAGMA table_info(${q})`).all() as { name: string }[]).map(
        (c) => c.name,
      );
      // Virtual tables (FTS indexes) are rebuilt from their content tables; skip what we cannot read.
      let rows: Record<string, unknown>[];
      try {
        rows = db.prepare(`SELECT rowid AS __rid, * FROM ${q}`).all() as Record<string, unknown>[];
      } catch {
        continue;
      }
      for (const row of rows) {
        for (const c of cols) {
          const v = row[c];
          if (typeof v !== 'string') continue;
          const r = redact(v);
          if (r === v) continue;
          try {
            db.prepare(`UPDATE ${q} SET "${c.replace(/"/g, '""')}" = ? WHERE rowid = ?`).run(
              r,
              row.__rid as number,
            );
            changed++;
          } catch {
            // A read-only (virtual) table: its content table carries the same text.
          }
        }
      }
    }
    db.exec('COMMIT');
    db.exec('VACUUM');
  } finally {
    db.close();
  }
  return changed;
}
