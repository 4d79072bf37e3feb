import type Database from 'better-sqlite3-multiple-ciphers';
import type { TenantDatabase } from '../vault/index.js';

const caches = new WeakMap<TenantDatabase, Map<string, Database.Statement>>();

/**
 * A compiled statement, reused per database: compiling SQL costs more than running it, and
 * applying a 10,000-event backlog runs the same handful of statements for every event.
 */
export function prepared(database: TenantDatabase, sql: string): Database.Statement {
  let cache = caches.get(database);
  if (!cache) {
    cache = new Map();
    caches.set(database, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = database.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
