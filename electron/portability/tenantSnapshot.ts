import Database from 'better-sqlite3-multiple-ciphers';
import { tenantDatabasePath, type TenantDatabase } from '../vault/tenantDatabase.js';
import type { TenantSession } from '../vault/index.js';

/**
 * A second, read-only connection to an unlocked tenant's database, holding one read transaction
 * for the whole export. Two reasons: the archive is one consistent point in time even while the
 * inbox keeps writing (WAL lets readers and the writer work side by side), and the export's
 * long-running reads never leave a statement open on the session's own connection between awaits.
 */
export function openTenantSnapshot(session: TenantSession): { database: TenantDatabase; close(): void } {
  const dataKey = session.copyDataKey();
  const database = new Database(tenantDatabasePath(session.folder), { fileMustExist: true });
  try {
    database.pragma(`cipher='sqlcipher'`);
    database.pragma('legacy=4');
    database.pragma(`key="x'${dataKey.toString('hex')}'"`);
    // As in the vault: sorts and temporary tables stay in memory, never in unencrypted temp files.
    database.pragma('temp_store = MEMORY');
    database.pragma('query_only = ON');
    database.exec('begin');
    database.prepare('select count(*) from sqlite_master').get();
  } catch (error) {
    database.close();
    throw error;
  } finally {
    dataKey.fill(0);
  }
  return {
    database,
    close() {
      if (database.inTransaction) database.exec('rollback');
      database.close();
    },
  };
}
