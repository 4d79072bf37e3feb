import type Database from 'better-sqlite3';

/** `full` (the default): a commit is on disk before the call returns, so power loss loses nothing the relay acknowledged. */
export type SqliteSynchronous = 'full' | 'normal';

/**
 * How a relay SQLite file commits. In WAL mode, `normal` survives a killed process (kill -9) but
 * not a power cut; `full` syncs the WAL on every commit and survives both.
 */
export function applySynchronous(database: Database.Database, synchronous: SqliteSynchronous): void {
  database.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
}

/** What the connection really does now (SQLite's own answer, not the setting that was asked for). */
export function currentSynchronous(database: Database.Database): SqliteSynchronous | 'other' {
  const level = database.pragma('synchronous', { simple: true });
  return level === 2 ? 'full' : level === 1 ? 'normal' : 'other';
}
