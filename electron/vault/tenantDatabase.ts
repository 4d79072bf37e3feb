import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { AresError } from '../../shared/errors.js';
import { tenantMigrations, type Migration } from './migrations/index.js';

export type TenantDatabase = Database.Database;

export function tenantDatabasePath(folder: string): string {
  return join(folder, 'tenant.db');
}

/**
 * Opens the tenant's SQLCipher database with its raw 256-bit key (no passphrase KDF inside
 * SQLCipher: the key is already random) and brings its schema up to date.
 */
export function openTenantDatabase(folder: string, dataKey: Buffer, migrations: Migration[] = tenantMigrations): TenantDatabase {
  const database = new Database(tenantDatabasePath(folder));
  try {
    database.pragma(`cipher='sqlcipher'`);
    database.pragma('legacy=4');
    database.pragma(`key="x'${dataKey.toString('hex')}'"`);
    // Reading the schema is the first access that needs the key; a wrong key fails here.
    database.prepare('select count(*) from sqlite_master').get();
  } catch (error) {
    database.close();
    if (error instanceof Error && /file is not a database/i.test(error.message)) {
      throw new AresError('WRONG_PASSPHRASE', 'The tenant database could not be decrypted with this key.');
    }
    throw error;
  }
  // Temporary tables and sort spills stay in memory: SQLite's temp files would not be encrypted.
  database.pragma('temp_store = MEMORY');
  database.pragma('journal_mode = WAL');
  // A change made on this desktop is on disk before it counts as made, so a power cut cannot undo
  // a queued reply or an erasure (F_FULLFSYNC on macOS, where fsync alone stops at the drive's
  // cache). Pages from the relay's log opt out: the relay still has them (SyncStore.applyPage).
  database.pragma('synchronous = FULL');
  database.pragma('fullfsync = ON');
  database.pragma('foreign_keys = ON');
  database.pragma('secure_delete = ON');
  applyMigrations(database, migrations);
  return database;
}

/** The versions already applied, from the migration ledger. */
export function appliedMigrations(database: TenantDatabase): Set<number> {
  database.exec('create table if not exists schema_migrations (version integer primary key, name text not null, applied_at text not null) strict');
  const rows = database.prepare('select version from schema_migrations').all() as { version: number }[];
  return new Set(rows.map((row) => row.version));
}

/**
 * Applies every migration not yet in the ledger, in version order, each in its own transaction.
 * A ledger (rather than one user_version number) lets domains own separate number ranges.
 */
export function applyMigrations(database: TenantDatabase, migrations: Migration[]): void {
  const applied = appliedMigrations(database);
  const pending = migrations.filter((migration) => !applied.has(migration.version)).sort((a, b) => a.version - b.version);
  for (const migration of pending) {
    database.transaction(() => {
      migration.up(database);
      database
        .prepare('insert into schema_migrations (version, name, applied_at) values (?, ?, ?)')
        .run(migration.version, migration.name, new Date().toISOString());
    })();
  }
}
